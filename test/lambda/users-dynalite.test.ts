import { startDynalite } from '../../lib/local/dynalite';
import { describeUsersContract } from './users-contract';

// The users API's contract on dynalite: DynamoDB's API on LevelDB, in this process, on every test run.
describeUsersContract(() => startDynalite());
