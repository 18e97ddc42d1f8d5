'use strict';

// Entry point on Elastic Beanstalk's Node.js platform (`npm start`): nginx forwards port 80 to PORT (8080).
const { createServer } = require('./app');

const port = Number(process.env.PORT) || 8080;
const server = createServer({ appColor: process.env.APP_COLOR });
server.listen(port, () => console.log(`listening on port ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
