import { describeFixture } from './suite';

describeFixture('textarea');
