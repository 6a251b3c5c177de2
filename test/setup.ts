import nock from 'nock';

// No test may reach the network: GitHub is always nock.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
