import { describeFixture } from './suite';

describeFixture('zendesk');
