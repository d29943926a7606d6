/** The password policy (src/domain/password-policy.ts, NIST SP 800-63B §5.1.1.2) and where it applies at start. */
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';
import { passwordProblems } from '../../src/domain/password-policy.js';

const REFUSED: [string, string, RegExp][] = [
  ['aaaaaaaaaa', 'wang', /the same characters repeated/],
  ['abababababab', 'wang', /the same characters repeated/],
  ['passpasspass', 'wang', /the same characters repeated/],
  ['abcdefghijk', 'wang', /sequence/],
  ['9876543210', 'wang', /sequence/],
  ['aabbaabbab', 'wang', /fewer than 4 different/],
  ['zhangsan2024', 'zhangsan', /user name/],
  ['admin-password-1', 'admin', /user name/],
  ['ZhangSan-2024', 'zhangsan', /user name/],
  ['Chen.Ming-1990', 'chen.ming', /user name/],
  ['guji-catalogue-1', 'wang', /name of the service/],
  ['qwertyuiop', 'wang', /commonly used/],
  ['iloveyou12', 'wang', /commonly used/],
  ['Password123', 'wang', /commonly used/],
  ['baseball2024!', 'wang', /commonly used/],
];

const ACCEPTED: [string, string][] = [
  ['census-office-1', 'admin'],
  ['li-bai-jing-ye-si', 'li'],
  ['床前明月光疑是地上霜', 'wang'],
  ['correct horse battery staple', 'wang'],
  ['zq7!Kp2#xLm9', 'wang'],
];

describe('password policy', () => {
  for (const [password, username, why] of REFUSED) {
    it(`refuses ${JSON.stringify(password)} for ${username}`, () => {
      expect(passwordProblems(password, username).join('; ')).to.match(why);
    });
  }
  for (const [password, username] of ACCEPTED) {
    it(`accepts ${JSON.stringify(password)} for ${username}`, () => expect(passwordProblems(password, username)).to.deep.equal([]));
  }

  it('says only that a password is too short or too long when it is', () => {
    expect(passwordProblems('abc', 'wang')).to.deep.equal([]);
    expect(passwordProblems('a'.repeat(513), 'wang')).to.deep.equal([]);
  });

  it('checks GUJI_ADMIN_PASSWORD at start and reports it with the other problems', () => {
    let error: unknown;
    try {
      loadConfig({ GUJI_ADMIN_USER: 'curator', GUJI_ADMIN_PASSWORD: 'curator-2026', PORT: 'eighty' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.have.members(['PORT: must be a number', 'GUJI_ADMIN_PASSWORD: must not contain the user name']);
    expect(() => loadConfig({ GUJI_ADMIN_PASSWORD: '1234567890' })).to.throw(ConfigError, /GUJI_ADMIN_PASSWORD: .*(sequence|commonly used)/);
    expect(loadConfig({ GUJI_ADMIN_USER: 'curator', GUJI_ADMIN_PASSWORD: 'chosen-password-1' }).adminPassword).to.equal('chosen-password-1');
  });
});
