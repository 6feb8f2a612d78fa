import { autoApproves, windowHoursFor, type ExchangeRules } from '../../../functions/exchanges/domain';
import { eventTypeOf } from '../../../functions/exchanges/outbox';
import { parseRules } from '../../../functions/exchanges/wiring';
import { getStageConfig } from '../../../lib/config/stages';

const rules: ExchangeRules = {
  windowHours: 48,
  categoryWindowHours: { dairy: 24, milk: 12 },
  notExchangeable: ['personal-care'],
  autoApprove: { maxValuePaise: 50_000, maxRecentExchanges: 3, periodDays: 30, reviewedReasons: ['quality'] },
};
const line = (reason: 'damaged' | 'quality', unitPricePaise = 1_000, quantity = 1) => ({
  productId: 'P',
  name: 'n',
  unit: '1 L',
  quantity,
  reason,
  unitPricePaise,
});

describe('exchange rules', () => {
  it('takes the most specific category window, inherits a parent’s, and refuses never-exchanged categories', () => {
    expect(windowHoursFor(rules, [])).toBe(48);
    expect(windowHoursFor(rules, ['curd', 'dairy'])).toBe(24);
    expect(windowHoursFor(rules, ['milk', 'dairy'])).toBe(12);
    expect(windowHoursFor(rules, ['soap', 'personal-care'])).toBeNull();
  });

  it('auto-approves at most the value limit, fewer than N recent exchanges, and no reviewed reason', () => {
    expect(autoApproves(rules, { lines: [line('damaged')], valuePaise: 50_000 }, 2)).toBe(true);
    expect(autoApproves(rules, { lines: [line('damaged')], valuePaise: 50_001 }, 0)).toBe(false);
    expect(autoApproves(rules, { lines: [line('damaged')], valuePaise: 1_000 }, 3)).toBe(false);
    expect(autoApproves(rules, { lines: [line('damaged'), line('quality')], valuePaise: 2_000 }, 0)).toBe(
      false,
    );
  });

  it('reads every stage’s rules as the functions parse them, and refuses malformed rules', () => {
    for (const stage of ['local', 'dev', 'staging', 'prod'] as const)
      expect(parseRules(JSON.stringify(getStageConfig(stage).exchanges))).toEqual(
        getStageConfig(stage).exchanges,
      );
    expect(() => parseRules(JSON.stringify({ ...rules, windowHours: 0 }))).toThrow();
    expect(() =>
      parseRules(
        JSON.stringify({ ...rules, autoApprove: { ...rules.autoApprove, reviewedReasons: ['bored'] } }),
      ),
    ).toThrow();
  });

  it('names the notification after the new status, and the packing step after itself', () => {
    const base = { status: 'REPLACEMENT_RESERVED', history: [{ status: 'REPLACEMENT_RESERVED' }] } as never;
    expect(eventTypeOf(base)).toBe('exchange.replacement_reserved');
    expect(eventTypeOf({ status: 'REPLACEMENT_RESERVED', history: [{ status: 'PACKED' }] } as never)).toBe(
      'exchange.packed',
    );
  });
});
