import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBrokerPasswd } from '../../../src/cli/commands/broker-passwd';
import type { CliIo } from '../../../src/cli/io';
import { verifyPassword } from '../../../src/transport/embedded/password-hash';
import { parseUsersFile } from '../../../src/transport/embedded/users-file';
import { parseAclFile } from '../../../src/transport/embedded/acl-file';

describe('routemq broker passwd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'routemq-passwd-'));
  const out: string[] = [];
  const io: CliIo = { cwd: dir, env: {}, out: (t) => out.push(t), err: (t) => out.push(t) };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a users file the broker reads, replacing a user and keeping other lines', async () => {
    writeFileSync(
      join(dir, 'users.txt'),
      '# devices\nbob:$2b$04$aGuBepBSM1NT46HElvTY0OF8Wf1sMJgIGJqHQofeosX.cE9OH4h2m\n',
    );
    await runBrokerPasswd('users.txt', 'alice', 'first', io);
    await runBrokerPasswd('users.txt', 'alice', 'second', io);
    const text = readFileSync(join(dir, 'users.txt'), 'utf8');
    expect(text.startsWith('# devices\nbob:')).toBe(true);
    const parsed = parseUsersFile(text, 'users.txt');
    if (!('users' in parsed)) throw new Error(parsed.problems.join('\n'));
    expect([...parsed.users.keys()]).toEqual(['bob', 'alice']);
    expect(await verifyPassword(parsed.users.get('alice') ?? '', 'second')).toBe(true);
    expect(await verifyPassword(parsed.users.get('alice') ?? '', 'first')).toBe(false);
    expect(statSync(join(dir, 'users.txt')).mode & 0o777).toBe(0o600);
    expect(out.at(-1)).toContain('updated alice');
  });

  it('refuses a user name with ":" and an empty password, with the reason', async () => {
    await expect(runBrokerPasswd('u.txt', 'a:b', 'pw', io)).rejects.toThrow(/cannot hold ":"/);
    await expect(runBrokerPasswd('u.txt', 'carol', '', io)).rejects.toThrow(/password is empty/);
  });
});

describe('users and ACL file problems name the line', () => {
  it('reports each bad line of a users file', () => {
    const parsed = parseUsersFile('ok-no-colon\nalice:plaintext\n', 'users.txt');
    expect(parsed).toEqual({
      problems: [
        'users.txt line 1: expected user:hash',
        expect.stringContaining('users.txt line 2: the hash of "alice" is not a bcrypt'),
      ],
    });
  });
});

describe('ACL file problems', () => {
  it('name the file and line of an unknown keyword, a deny rule and a bad filter', () => {
    const parsed = parseAclFile(
      'user a\ntopic read ok/#\nallow x\ntopic deny y\ntopic read a/#/b\n',
      'acl.conf',
    );
    expect(parsed).toEqual({
      problems: [
        expect.stringMatching(/^acl\.conf line 3: unknown keyword "allow"/),
        expect.stringMatching(/^acl\.conf line 4: "deny" is not supported/),
        expect.stringMatching(/^acl\.conf line 5: "a\/#\/b" has "#" before the last level/),
      ],
    });
  });
});
