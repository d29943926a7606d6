/** Sign-in throttling with a clock the test moves (src/services/sign-in-limiter.ts). */
import { expect } from 'chai';
import { RateLimitedError } from '../../src/domain/errors.js';
import { addressKey, FRESH_ADDRESS_TRIES, SignInLimiter, TRACKED } from '../../src/services/sign-in-limiter.js';

const LIMITS = { attemptsPerMinute: 10, freeFailures: 5, maxDelaySeconds: 900 };

function setup() {
  let now = Date.UTC(2026, 10, 30, 12);
  const limiter = new SignInLimiter(LIMITS, () => now);
  return {
    limiter,
    wait: (seconds: number) => (now += seconds * 1000),
    /** Admits and records a failure; returns the 429's Retry-After in seconds, or null when admitted. */
    fail(username: string, address: string): number | null {
      try {
        limiter.admit(username, address);
      } catch (e) {
        if (e instanceof RateLimitedError) return e.retryAfterSeconds!;
        throw e;
      }
      limiter.failed(username, address);
      return null;
    },
    refused(username: string, address: string): number | null {
      try {
        limiter.admit(username, address);
        return null;
      } catch (e) {
        if (e instanceof RateLimitedError) return e.retryAfterSeconds!;
        throw e;
      }
    },
  };
}

describe('sign-in limiter', () => {
  it('lets an account fail a few times, then doubles the wait up to the longest', () => {
    const t = setup();
    for (let i = 0; i < 5; i++) expect(t.fail('wang', '10.0.0.1')).to.equal(null);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const retry = t.refused('wang', '10.0.0.1');
      expect(retry).to.be.greaterThan(0);
      waits.push(retry!);
      t.wait(retry!);
      // The address's bucket refills too: it is not what holds this attempt back.
      t.wait(60);
      expect(t.fail('wang', '10.0.0.1')).to.equal(null);
    }
    expect(waits.slice(0, 5)).to.deep.equal([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).to.equal(900);
  });

  it('forgets the failures of a pair after a success', () => {
    const t = setup();
    for (let i = 0; i < 4; i++) t.fail('wang', '10.0.0.1');
    t.limiter.admit('wang', '10.0.0.1');
    t.limiter.succeeded('wang', '10.0.0.1');
    for (let i = 0; i < 5; i++) expect(t.fail('wang', '10.0.0.1')).to.equal(null);
    expect(t.refused('wang', '10.0.0.1')).to.equal(1);
  });

  it('gives an address a bucket of attempts per minute, and a successful sign-in its token back', () => {
    const t = setup();
    for (let i = 0; i < 10; i++) {
      t.limiter.admit(`user${i}`, '10.0.0.2');
      t.limiter.succeeded(`user${i}`, '10.0.0.2');
    }
    for (let i = 0; i < 10; i++) expect(t.fail(`guess${i}`, '10.0.0.2')).to.equal(null);
    expect(t.refused('someone', '10.0.0.2')).to.equal(6);
    t.wait(6);
    expect(t.fail('someone', '10.0.0.2')).to.equal(null);
    expect(t.refused('someone', '10.0.0.3')).to.equal(null);
  });

  it('keeps an attacked account open to its owner at a known address and to a new address for a try or two', () => {
    const t = setup();
    t.limiter.admit('wang', '10.0.0.9');
    t.limiter.succeeded('wang', '10.0.0.9');
    // An attacker at many addresses: five each, the account-wide count far past its free failures.
    for (let a = 1; a <= 4; a++) for (let i = 0; i < 5; i++) t.fail('wang', `10.0.1.${a}`);
    expect(t.refused('wang', '10.0.1.1')).to.be.greaterThan(0);
    // A fifth attacker address gets FRESH_ADDRESS_TRIES, then waits with the account.
    for (let i = 0; i < FRESH_ADDRESS_TRIES; i++) expect(t.fail('wang', '10.0.1.5')).to.equal(null);
    expect(t.refused('wang', '10.0.1.5')).to.be.greaterThan(0);
    // The owner, at home and at a new place.
    expect(t.refused('wang', '10.0.0.9')).to.equal(null);
    expect(t.refused('wang', '10.0.2.1')).to.equal(null);
    // The owner signing in does not lift the wait for the attacker.
    t.limiter.succeeded('wang', '10.0.0.9');
    expect(t.refused('wang', '10.0.1.5')).to.be.greaterThan(0);
  });

  it('keeps its memory bounded when user names and addresses are cycled', () => {
    const t = setup();
    for (let i = 0; i < 5 * TRACKED; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      t.fail(`user${i}`, address);
      t.limiter.admit(`user${i}`, address);
      t.limiter.succeeded(`user${i}`, address);
    }
    expect(t.limiter.size).to.be.at.most(4 * TRACKED);
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 addresses by their /64', () => {
    const table: [string | undefined, string][] = [
      ['203.0.113.7', '203.0.113.7'],
      ['::ffff:203.0.113.7', '203.0.113.7'],
      ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
      ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
      ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      [undefined, 'unknown'],
    ];
    for (const [address, key] of table) expect(addressKey(address), String(address)).to.equal(key);
  });
});
