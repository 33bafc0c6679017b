import { redactSecrets, redactUrl } from '../../src/redaction';

describe('redactUrl (the one redaction of URLs)', () => {
  it.each([
    ['mqtt://user:PW@host:1883', 'mqtt://user:****@host:1883'],
    // A raw '@' in the password: the user information ends at the last '@'.
    ['redis://:CD@SECRET@127.0.0.1:6379/11', 'redis://:****@127.0.0.1:6379/11'],
    ['postgres://app:CD@SECRET@127.0.0.1:5432/test', 'postgres://app:****@127.0.0.1:5432/test'],
    // '/', '?' and ':' in the password make the URL unparsable; still masked.
    ['postgres://app:pa/ss?w:rd@db:5432/app', 'postgres://app:****@db:5432/app'],
    ['mqtts://TOKEN@broker:8883', 'mqtts://****@broker:8883'],
    ['user:PW@broker.local', 'user:****@broker.local'],
    ['postgres://db/app?password=s3cret&x=1', 'postgres://db/app?password=****&x=1'],
    ['mqtt://broker:1883', 'mqtt://broker:1883'],
    ['sqlite:///srv/data.sqlite', 'sqlite:///srv/data.sqlite'],
  ])('%s -> %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redactSecrets (free text)', () => {
  it('masks every URL in a message, whatever its password holds', () => {
    const text =
      'connect to redis://:CD@SECRET@127.0.0.1:6379 failed; mqtt://u:p/w@b:1883 too (ECONNREFUSED)';
    const masked = redactSecrets(text);
    expect(masked).toBe(
      'connect to redis://:****@127.0.0.1:6379 failed; mqtt://u:****@b:1883 too (ECONNREFUSED)',
    );
    expect(masked).not.toMatch(/SECRET|p\/w/);
  });
});
