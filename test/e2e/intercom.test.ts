import { describeFixture } from './suite';

describeFixture('intercom');
