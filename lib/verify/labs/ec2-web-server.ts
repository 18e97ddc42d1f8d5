import { expectPage } from '../http';
import { LabVerifier } from '../lab-verifier';

/** The page the web server's user data writes names the instance that served it. */
export const SERVED_BY = /Served by instance <strong>(i-[0-9a-f]+)<\/strong>/;

/** The chapter's test: open the instance's public address and see the Apache page. */
export const ec2WebServerVerifier: LabVerifier = {
  outputs: ['Url', 'InstanceId'],
  checks: ({ outputs }) => ({
    checks: [{
      name: 'the web server answers 200 with its page',
      run: async () => {
        const page = await expectPage(outputs.Url, SERVED_BY);
        const servedBy = SERVED_BY.exec(page.body)![1];
        if (servedBy !== outputs.InstanceId) throw new Error(
          `the page names ${servedBy}, not the lab's instance ${outputs.InstanceId}`);
        return `${outputs.Url} served by ${servedBy}`;
      },
    }],
  }),
};
