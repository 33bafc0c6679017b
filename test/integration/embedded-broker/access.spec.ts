import { APP_USERNAME } from '../../../src/transport/embedded/broker-access';
import { parseAclFile } from '../../../src/transport/embedded/acl-file';
import { hashPassword } from '../../../src/transport/embedded/password-hash';
import { parseUsersFile } from '../../../src/transport/embedded/users-file';
import { waitUntil } from '../../contract/contract-helpers';
import { BrokerFixture, collect, grantedQos } from './broker-fixture';

// CONNACK return codes, MQTT 3.1.1 section 3.2.2.3.
const IDENTIFIER_REJECTED = 2;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

// A bcrypt hash of "bcrypt-pw" (cost 4), as `htpasswd -B` and other tools write them.
const BCRYPT_HASH = '$2b$04$aGuBepBSM1NT46HElvTY0OF8Wf1sMJgIGJqHQofeosX.cE9OH4h2m';

describe('embedded broker: authentication', () => {
  const fixture = new BrokerFixture();
  afterEach(() => fixture.closeAll());

  it('with a device account, refuses anonymous clients and wrong passwords, accepts the account', async () => {
    const { port } = await fixture.start({ deviceAccount: { username: 'device', password: 'pw-1' } });
    expect(await fixture.connackCode(port, { clientId: 'anon' })).toBe(NOT_AUTHORIZED);
    expect(await fixture.connackCode(port, { clientId: 'd1', username: 'device', password: 'nope' })).toBe(
      BAD_CREDENTIALS,
    );
    expect(await fixture.connackCode(port, { clientId: 'd1', username: 'device', password: 'pw-1' })).toBe(0);
  });

  it('reads scrypt and bcrypt hashes of a users file', async () => {
    const text = `# devices\nalice:${await hashPassword('alice-pw')}\nbob:${BCRYPT_HASH}\n`;
    const parsed = parseUsersFile(text, 'users.txt');
    if (!('users' in parsed)) throw new Error(parsed.problems.join('\n'));
    const { port } = await fixture.start({ users: parsed.users });
    expect(await fixture.connackCode(port, { clientId: 'a', username: 'alice', password: 'alice-pw' })).toBe(
      0,
    );
    expect(await fixture.connackCode(port, { clientId: 'b', username: 'bob', password: 'bcrypt-pw' })).toBe(
      0,
    );
    expect(await fixture.connackCode(port, { clientId: 'c', username: 'bob', password: 'alice-pw' })).toBe(
      BAD_CREDENTIALS,
    );
    expect(await fixture.connackCode(port, { clientId: 'd', username: 'carol', password: 'x' })).toBe(
      BAD_CREDENTIALS,
    );
  });

  it('the app user name with any password but the per-process secret is refused', async () => {
    const { port } = await fixture.start({});
    expect(
      await fixture.connackCode(port, { clientId: 'x', username: APP_USERNAME, password: 'guess' }),
    ).toBe(BAD_CREDENTIALS);
    await expect(fixture.connectApp(port)).resolves.toBeDefined();
  });

  it("refuses the app's client ids to devices, so no device takes over the app's session", async () => {
    const { port } = await fixture.start({ deviceAccount: { username: 'device', password: 'pw' } });
    const app = await fixture.connectApp(port);
    const received = collect(app);
    await app.subscribeAsync('readings/#', { qos: 1 });
    for (const clientId of ['the-app', 'the-app-retry', 'the-app-w0', 'the-app-w3-retry']) {
      expect(await fixture.connackCode(port, { clientId, username: 'device', password: 'pw' })).toBe(
        IDENTIFIER_REJECTED,
      );
    }
    const device = await fixture.connect(port, { clientId: 'the-app-2', username: 'device', password: 'pw' });
    await device.publishAsync('readings/1', 'r1', { qos: 1 });
    await waitUntil('the app still gets the readings', () => received.length === 1);
    expect(app.connected).toBe(true);
  });
});

describe('embedded broker: authorization', () => {
  const fixture = new BrokerFixture();
  afterEach(() => fixture.closeAll());

  it('refuses $SYS, $share and the retry lane to devices; # never delivers internal topics', async () => {
    const { port } = await fixture.start({});
    const device = await fixture.connect(port, { clientId: 'spy' });
    const granted = await grantedQos(device, [
      '$SYS/#',
      '$share/x/#',
      'routemq/retry/#',
      'routemq/dead-letter/#',
      '#',
    ]);
    expect(granted).toEqual([128, 128, 128, 128, 1]);
    const seen = collect(device);
    const app = await fixture.connectApp(port);
    await app.publishAsync('routemq/retry/the-app', 'retry envelope', { qos: 1 });
    await app.publishAsync('routemq/dead-letter/sensors', 'dead letter', { qos: 1 });
    await app.publishAsync('public/news', 'hello', { qos: 1 });
    await waitUntil('the public message', () => seen.some((m) => m.topic === 'public/news'));
    expect(seen.map((m) => m.topic)).toEqual(['public/news']);
  });

  it('does not let devices publish on the retry lane or dead-letter topics', async () => {
    const { port } = await fixture.start({});
    const app = await fixture.connectApp(port);
    const appSees = collect(app);
    await app.subscribeAsync(['routemq/retry/#', 'routemq/dead-letter/#', 'marker'], { qos: 1 });
    for (const topic of ['routemq/retry/the-app', 'routemq/dead-letter/x']) {
      const device = await fixture.connect(port, { clientId: `forger-${topic.length}` });
      const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
      device.publish(topic, 'forged', { qos: 1 });
      await closed; // aedes closes an MQTT 3.1.1 client whose publish is not authorized
    }
    const honest = await fixture.connect(port, { clientId: 'honest' });
    await honest.publishAsync('marker', 'done', { qos: 1 });
    await waitUntil('the marker', () => appSees.some((m) => m.topic === 'marker'));
    expect(appSees.map((m) => m.topic)).toEqual(['marker']);
  });

  it('applies the ACL file: user topics, %u/%c patterns, and nothing else', async () => {
    const parsed = parseAclFile(
      [
        'topic read public/#',
        'user alice',
        'topic readwrite sensors/alice/#',
        'topic read routemq/dead-letter/#',
        'pattern write devices/%c/data',
        'pattern read inbox/%u',
      ].join('\n'),
      'acl.conf',
    );
    if (!('acl' in parsed)) throw new Error(parsed.problems.join('\n'));
    const { port } = await fixture.start({
      acl: parsed.acl,
      deviceAccount: { username: 'alice', password: 'pw' },
    });
    const alice = await fixture.connect(port, { clientId: 'alice-1', username: 'alice', password: 'pw' });
    const granted = await grantedQos(alice, [
      'sensors/alice/#',
      'sensors/bob/#',
      'sensors/+/x',
      'inbox/alice',
      'inbox/bob',
      'public/#',
      'routemq/dead-letter/#',
    ]);
    // public/# is granted to anonymous clients only (lines before the first `user`), as in Mosquitto.
    expect(granted).toEqual([1, 128, 128, 1, 128, 128, 1]);
    const seen = collect(alice);
    const app = await fixture.connectApp(port);
    const appSees = collect(app);
    await app.subscribeAsync('devices/#', { qos: 1 });
    await alice.publishAsync('devices/alice-1/data', 'mine', { qos: 1 });
    await app.publishAsync('inbox/alice', 'to alice', { qos: 1 });
    await app.publishAsync('routemq/dead-letter/r', 'dead', { qos: 1 });
    await waitUntil('deliveries', () => appSees.length === 1 && seen.length === 2);
    expect(appSees.map((m) => m.topic)).toEqual(['devices/alice-1/data']);
    expect(seen.map((m) => m.topic).sort()).toEqual(['inbox/alice', 'routemq/dead-letter/r']);
    const closed = new Promise<void>((resolve) => alice.once('close', () => resolve()));
    alice.publish('devices/other/data', 'not mine', { qos: 1 });
    await closed;
  });
});
