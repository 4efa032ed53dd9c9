import { describe, expect, it } from 'vitest';
import {
  bootstrapIssue,
  emptyProfileForm,
  profileInput,
  profileIssues,
} from '../../../src/renderer/components/shell/connection-profile.js';
import {
  filterPaletteItems,
  type PaletteItem,
} from '../../../src/renderer/components/shell/palette-items.js';

describe('bootstrap servers', () => {
  it('accepts host:port lists, IPv4 and bracketed IPv6', () => {
    expect(bootstrapIssue('kafka-1:9092')).toBeNull();
    expect(bootstrapIssue(' kafka-1.example.com:9092 , 10.0.0.2:9093 ')).toBeNull();
    expect(bootstrapIssue('[::1]:9092')).toBeNull();
  });

  it('names the entry that is wrong', () => {
    expect(bootstrapIssue('')).toEqual({ key: 'bootstrapRequired' });
    expect(bootstrapIssue(' , ')).toEqual({ key: 'bootstrapRequired' });
    expect(bootstrapIssue('kafka-1:9092,kafka-2')).toEqual({
      key: 'bootstrapEntry',
      named: { entry: 'kafka-2' },
    });
    expect(bootstrapIssue(':9092')).toEqual({ key: 'bootstrapEntry', named: { entry: ':9092' } });
    expect(bootstrapIssue('http://kafka:9092')).toEqual({
      key: 'bootstrapEntry',
      named: { entry: 'http://kafka:9092' },
    });
    expect(bootstrapIssue('kafka:0')).toEqual({ key: 'bootstrapPort', named: { entry: 'kafka:0' } });
    expect(bootstrapIssue('kafka:65536')).toEqual({ key: 'bootstrapPort', named: { entry: 'kafka:65536' } });
  });
});

describe('connection profile', () => {
  it('needs SASL credentials, unless a password is stored', () => {
    const form = { ...emptyProfileForm(), name: 'x', bootstrap: 'k:1', sasl: 'PLAIN' as const };
    expect(Object.keys(profileIssues(form))).toEqual(['username', 'password']);
    expect(profileIssues({ ...form, username: 'u', hasPassword: true })).toEqual({});
  });

  it('sends a trimmed profile with null for what is off', () => {
    const form = {
      ...emptyProfileForm(),
      name: ' staging ',
      bootstrap: 'a:1, b:2,',
      tls: true,
      caPem: '  ',
    };
    expect(profileInput(form)).toEqual({
      name: 'staging',
      bootstrap: 'a:1,b:2',
      sasl: null,
      tls: { caPem: null, verifyCertificates: true },
    });
  });
});

describe('command palette filter', () => {
  const item = (
    id: string,
    section: PaletteItem['section'],
    label: string,
    keywords?: string,
  ): PaletteItem => ({
    id,
    section,
    label,
    keywords,
    run: () => undefined,
  });
  const items = [
    item('view:/topics', 'views', 'Topics'),
    item('action:create-topic', 'actions', 'Create a topic', 'new topic'),
    item('topic:my-orders', 'topics', 'my-orders'),
    item('topic:orders', 'topics', 'orders'),
    item('group:orders-app', 'groups', 'orders-app'),
  ];

  it('keeps sections in order and ranks prefix matches first within one', () => {
    expect(filterPaletteItems(items, 'orders').map((i) => i.id)).toEqual([
      'topic:orders',
      'topic:my-orders',
      'group:orders-app',
    ]);
    expect(filterPaletteItems(items, 'TOPIC').map((i) => i.id)).toEqual([
      'view:/topics',
      'action:create-topic',
    ]);
    expect(filterPaletteItems(items, 'new topic').map((i) => i.id)).toEqual(['action:create-topic']);
    expect(filterPaletteItems(items, '').length).toBe(items.length);
  });
});

describe('glossary and Kafka error sentences', () => {
  it('explain every Kafka term the views use, in English and Polish', async () => {
    const { createEddyI18n } = await import('../../../src/renderer/i18n/index.js');
    const terms = [
      'isr',
      'highWatermark',
      'logStartOffset',
      'logEndOffset',
      'lag',
      'leader',
      'leaderEpoch',
      'replicationFactor',
      'partition',
      'retention',
      'cleanupPolicy',
      'consumerGroup',
      'coordinator',
      'controller',
      'segment',
      'offset',
      'committedOffset',
      'underReplicated',
    ];
    for (const locale of ['en', 'pl'] as const) {
      const { t, te } = createEddyI18n(locale).global;
      for (const term of terms) expect(te(`common.terms.${term}`, locale), term).toBe(true);
      // useErrorText looks Kafka's errors up by name at the root.
      expect(te('kafkaErrors.NOT_ENOUGH_REPLICAS', locale)).toBe(true);
      expect(t('kafkaErrors.TOPIC_ALREADY_EXISTS')).toBe(
        locale === 'en'
          ? 'A topic with that name already exists. Pick another name.'
          : 'Temat o tej nazwie już istnieje. Wybierz inną nazwę.',
      );
    }
  });
});
