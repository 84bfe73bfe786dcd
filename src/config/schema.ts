import { Type, type Static } from '@sinclair/typebox';
import { HTTP_PRESET_NAMES } from '../tts/http-presets.ts';

export const TTS_ENGINE_NAMES = ['espeak', 'silent', 'command', 'http'] as const;
const TtsEngineName = Type.Union(TTS_ENGINE_NAMES.map((n) => Type.Literal(n)));
const TTS_ENGINE_LIST = `^(${TTS_ENGINE_NAMES.join('|')})( *, *(${TTS_ENGINE_NAMES.join('|')})){0,3}$`;

/**
 * SMTP transport for e-mail (src/messaging/email). Optional so that code building a Config by
 * hand need not know it; config/bereik.json always fills it. Keys: docs/messaging-email.md.
 */
export const EmailConfigSchema = Type.Object({
  /** Empty: the built-in test mail server on loopback (like ari.url empty = simulator). */
  host: Type.String(),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** tls: TLS from the first byte (465); starttls: plain then STARTTLS, required (587); none: never encrypt (loopback relays only). */
  security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]),
  user: Type.String(),
  /** Only from the environment (BEREIK_EMAIL_PASSWORD) or email.passwordFile (BEREIK_EMAIL_PASSWORD_FILE). */
  password: Type.String(),
  passwordFile: Type.String(),
  /** RFC 5322 From, e.g. "Incasso Noord" <noreply@example.nl>. */
  from: Type.String({ minLength: 1 }),
  /** Envelope sender (MAIL FROM), where bounces (DSNs) go; empty: the From address. */
  bounceAddress: Type.String(),
  /** SMTP connections kept open at once. */
  poolSize: Type.Integer({ minimum: 1, maximum: 100 }),
  /** A connection is renewed after this many messages. */
  maxMessagesPerConnection: Type.Integer({ minimum: 1, maximum: 100000 }),
  /** Messages per second over all connections; 0 = as fast as the server answers. */
  ratePerSecond: Type.Integer({ minimum: 0, maximum: 10000 }),
  connectionTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  /** Longest silence from the server during a session (an answer that never comes). */
  socketTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
});

export type EmailConfig = Static<typeof EmailConfigSchema>;

/**
 * WhatsApp over the Business Cloud API (src/messaging/whatsapp, docs/messaging-whatsapp.md).
 * The three secrets only from the environment or files, never from a config file.
 */
export const WhatsAppConfigSchema = Type.Object({
  /** Empty: the built-in simulated Graph endpoint on loopback (like ari.url empty = simulator). Else https://graph.facebook.com */
  graphUrl: Type.String(),
  /** Graph API version in the path, e.g. v21.0. */
  version: Type.String({ pattern: '^v\\d+\\.\\d+$' }),
  /** The business phone number's id at Meta (not the number itself). */
  phoneNumberId: Type.String({ pattern: '^(\\d{1,30})?$' }),
  /** BEREIK_WHATSAPP_ACCESS_TOKEN or accessTokenFile (BEREIK_WHATSAPP_ACCESS_TOKEN_FILE). */
  accessToken: Type.String(),
  accessTokenFile: Type.String(),
  /** The app's secret: signs the webhooks. BEREIK_WHATSAPP_APP_SECRET or appSecretFile. */
  appSecret: Type.String(),
  appSecretFile: Type.String(),
  /** What Meta sends back when subscribing the webhook. BEREIK_WHATSAPP_VERIFY_TOKEN or verifyTokenFile. */
  verifyToken: Type.String(),
  verifyTokenFile: Type.String(),
  /** The approved pay-link template; body parameters {{1}} creditor, {{2}} amount, {{3}} pay link. */
  templateName: Type.String({ pattern: '^[a-z0-9_]{1,512}$' }),
  /** Bereik's language → the template translation's code at Meta. */
  templateLanguages: Type.Object({ nl: Type.String({ minLength: 2 }), en: Type.String({ minLength: 2 }) }),
  /** A send without an answer after this is uncertain (it may have been taken). */
  requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000 }),
});

export type WhatsAppConfig = Static<typeof WhatsAppConfigSchema>;

/** The shape of Bereik's configuration. Defaults live in config/bereik.json, not here. */
export const ConfigSchema = Type.Object(
  {
    http: Type.Object({
      host: Type.String({ minLength: 1, description: 'address to listen on' }),
      port: Type.Integer({ minimum: 0, maximum: 65535 }),
      /** URL at which Asterisk and browsers reach this service (for HTTP media and links). */
      publicUrl: Type.String(),
      /** Time to receive a request's headers (a client that trickles them is cut). */
      headersTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
      /** Longest pause while a request body arrives: a stalled upload is cut, a slow but moving one goes on. */
      bodyIdleTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
      /** Time to receive a whole request, body included (bounds a body that trickles a byte at a time). */
      requestTimeoutMs: Type.Integer({ minimum: 1000, maximum: 86_400_000 }),
      /** Longest silence on a connection while its request is handled (a large synchronous import). */
      connectionTimeoutMs: Type.Integer({ minimum: 1000, maximum: 86_400_000 }),
      /** An idle keep-alive connection is closed after this. */
      keepAliveTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
    }),
    db: Type.Object({ path: Type.String({ minLength: 1 }) }),
    log: Type.Object({
      level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    }),
    auth: Type.Object({
      /** Failed bearer attempts allowed per client address per minute before 429. */
      maxFailedPerMinute: Type.Integer({ minimum: 1, maximum: 10000 }),
    }),
    ari: Type.Object({
      /** Empty: run the built-in simulated Asterisk. Otherwise e.g. http://127.0.0.1:8088 */
      url: Type.String(),
      user: Type.String(),
      /** Only from the environment (BEREIK_ARI_PASSWORD) or BEREIK_ARI_PASSWORD_FILE. */
      password: Type.String(),
      app: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_-]+$' }),
      reconnectMinMs: Type.Integer({ minimum: 10 }),
      reconnectMaxMs: Type.Integer({ minimum: 100 }),
      requestTimeoutMs: Type.Integer({ minimum: 100 }),
      /** Most REST connections to Asterisk at once; below http.conf sessionlimit (which also counts the events socket). */
      maxConnections: Type.Integer({ minimum: 1, maximum: 1000 }),
      sweepIntervalMs: Type.Integer({ minimum: 1000 }),
    }),
    sim: Type.Object({
      /** Clock scale for the simulator and Bereik's timers together (1 = real time). */
      scale: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
      scenarioFile: Type.String(),
    }),
    tts: Type.Object({
      /** One engine, or engines in fallback order (docs/tts-engines.md): ["http", "espeak"], or "http,espeak" from the environment. */
      engine: Type.Union([Type.String({ pattern: TTS_ENGINE_LIST }), Type.Array(TtsEngineName, { minItems: 1, maxItems: 4 })], {
        description: `expected ${TTS_ENGINE_NAMES.join(', ')}, or a list of them in fallback order (["http", "espeak"], or "http,espeak" in BEREIK_TTS_ENGINE)`,
      }),
      /** With several engines: how long one may take before the next speaks (every engine but the last). */
      renderTimeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
      /** The command engine (src/tts/command.ts). */
      command: Type.Optional(
        Type.Object(
          {
            /** Program and arguments, never a shell line; placeholders {text}, {textFile}, {voice}, {out}. */
            argv: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 64 }),
            /** Voice or model file per language, handed to {voice}. */
            voiceNl: Type.String({ minLength: 1 }),
            voiceEn: Type.String({ minLength: 1 }),
            timeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
          },
          { additionalProperties: false },
        ),
      ),
      /** The http engine (src/tts/http.ts); its key only from BEREIK_TTS_HTTP_KEY or tts.httpKeyFile. */
      http: Type.Optional(
        Type.Object(
          {
            preset: Type.Union(HTTP_PRESET_NAMES.map((p) => Type.Literal(p))),
            /** Empty: the preset's own endpoint (Google). Plain http:// only to loopback. */
            url: Type.String(),
            voiceNl: Type.String({ minLength: 1 }),
            voiceEn: Type.String({ minLength: 1 }),
            /** One attempt. */
            timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000 }),
            /** Further attempts after a 429, 5xx or network error. */
            retries: Type.Integer({ minimum: 0, maximum: 10 }),
            /** Requests per second at most (the provider's quota). */
            perSecond: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
          },
          { additionalProperties: false },
        ),
      ),
      httpKey: Type.Optional(Type.String()),
      httpKeyFile: Type.Optional(Type.String()),
      /** A campaign's personalised prompts rendered when it starts (src/tts/prerender.ts); 0 contacts = off. */
      prerender: Type.Optional(
        Type.Object(
          {
            maxContacts: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
            maxMb: Type.Integer({ minimum: 1 }),
            concurrency: Type.Integer({ minimum: 1, maximum: 32 }),
          },
          { additionalProperties: false },
        ),
      ),
      cacheDir: Type.String({ minLength: 1 }),
      /** 'file': give Asterisk sound:<path>; 'http': sound:<publicUrl>/media/... */
      delivery: Type.Union([Type.Literal('file'), Type.Literal('http')]),
      /** The cache directory as Asterisk sees it (shared storage); empty = same path. */
      asteriskPath: Type.String(),
      voiceNl: Type.String({ minLength: 1 }),
      voiceEn: Type.String({ minLength: 1 }),
      /** Recorded prompts, converted (docs/recorded-prompts.md); empty or absent: <cacheDir>/recordings. Asterisk must see it at the same path as asteriskPath's cache. */
      recordingsDir: Type.Optional(Type.String()),
      /** Longest recording accepted, in seconds after trimming its silence (default 60). */
      recordingMaxSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
      /** Directory with <lang>.json prompt files (src/tts/prompts.ts); operators may point it at their own copy. */
      promptsDir: Type.String({ minLength: 1 }),
      /** Cached audio unused this many days is deleted: personalised files carry names and amounts (src/tts/prune.ts). */
      cacheMaxAgeDays: Type.Number({ exclusiveMinimum: 0, maximum: 365 }),
      /** Above this size the least recently used audio is deleted first. */
      cacheMaxMb: Type.Integer({ minimum: 16 }),
    }),
    dialer: Type.Object({
      tickMs: Type.Integer({ minimum: 10, maximum: 60000 }),
      /** Calls-per-second budget of the trunk, shared by all campaigns. */
      trunkCps: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
      /** Dial string template; {number} is the E.164 number. */
      endpointTemplate: Type.String({ minLength: 1 }),
      outboundContext: Type.String({ minLength: 1 }),
    }),
    agents: Type.Object({
      ringTimeoutSec: Type.Integer({ minimum: 5, maximum: 120 }),
      wrapUpSec: Type.Integer({ minimum: 0, maximum: 3600 }),
      /** Where recordings of agent conversations are kept (docs/call-recordings.md); empty or absent: <tts.cacheDir>/../call-recordings. */
      recordingsDir: Type.Optional(Type.String()),
      /**
       * The desktop softphone (docs/agent-softphone.md): where browsers reach Asterisk's SIP
       * over WebSocket (wss://pbx.example.nl/ws behind TLS); empty = no softphone.
       */
      softphoneWsUrl: Type.String({ pattern: '^(wss?://\\S+)?$' }),
      /** How long a login's SIP credentials live; the desktop renews them at half-time. */
      softphoneTtlSec: Type.Integer({ minimum: 60, maximum: 86400 }),
      /** Codecs of the per-login endpoint, in order (`opus` only with codec_opus loaded). */
      softphoneCodecs: Type.String({ pattern: '^[a-z0-9_]+(,[a-z0-9_]+)*$' }),
    }),
    /** How long personal data is kept, per kind (docs/data-protection.md argues each default). */
    retention: Type.Object({
      /** Calls' numbers, keys (DTMF path) and channel, and agents' notes; the call's outcome stays. */
      callDetailsDays: Type.Integer({ minimum: 1, maximum: 3650 }),
      /** Messages' addresses and texts, and replies; channel, status and times stay. */
      messagesDays: Type.Integer({ minimum: 1, maximum: 3650 }),
      /** Import errors, which quote raw CSV values. */
      importErrorsDays: Type.Integer({ minimum: 1, maximum: 3650 }),
      /** The raw rejected rows behind an import's rejects CSV. */
      rejectedRowsDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    }),
    imports: Type.Object({
      /** Largest CSV upload accepted over HTTP, multipart or raw body; larger ones get 413 as soon as they pass it. */
      maxUploadBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 ** 3 }),
    }),
    /**
     * SMS over SMPP 3.4 (docs/messaging-smpp.md). Optional; no binds = the built-in simulated
     * SMSC, like an empty ari.url. Per-bind defaults live in src/messaging/sms/config.ts.
     */
    sms: Type.Optional(
      Type.Object(
        {
          binds: Type.Array(
            Type.Object(
              {
                name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
                host: Type.String({ minLength: 1 }),
                port: Type.Integer({ minimum: 1, maximum: 65535 }),
                systemId: Type.String({ minLength: 1, maxLength: 15 }),
                /** Prefer passwordFile (or BEREIK_SMS_PASSWORD for a single bind): SMPP allows ≤ 8 characters. */
                password: Type.Optional(Type.String({ maxLength: 8 })),
                passwordFile: Type.Optional(Type.String({ minLength: 1 })),
                tls: Type.Optional(Type.Boolean()),
                /** PEM file of the CA that signed the SMSC's certificate (default: the system's CAs). */
                tlsCaFile: Type.Optional(Type.String({ minLength: 1 })),
                /** Outstanding submit_sm without an answer (SMPP "window"). */
                windowSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
                /** submit_sm per second on this bind (what the aggregator's contract allows). */
                maxPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100000 })),
                enquireLinkSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: 16 },
          ),
          reconnectMinMs: Type.Optional(Type.Integer({ minimum: 10 })),
          reconnectMaxMs: Type.Optional(Type.Integer({ minimum: 100 })),
          responseTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
          /** Longest message, in parts; a longer one fails as SMS_TOO_LONG. */
          maxParts: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
        },
        { additionalProperties: false },
      ),
    ),
    inbound: Type.Object({
      unknownCaller: Type.Union([Type.Literal('queue'), Type.Literal('message')]),
    }),
    /** The outbox (src/messaging): defaults a campaign's settings may override. */
    messages: Type.Object({
      /** `number:+3197…` (can receive replies) or `alphanumeric:Name` (≤ 11 characters, no replies). */
      smsSender: Type.String({ minLength: 1 }),
      /** Messages per debtor per channel in any 7 days (compliance default: 3). */
      maxPer7Days: Type.Integer({ minimum: 1, maximum: 50 }),
      /** Days a pay link or unsubscribe link keeps working. */
      linkTtlDays: Type.Integer({ minimum: 1, maximum: 3650 }),
      /** Messages being submitted at once (over every channel). */
      maxInFlight: Type.Integer({ minimum: 1, maximum: 10_000 }),
      /** Tries of a message the network refused for a while (throttled, not connected) before it fails. */
      maxAttempts: Type.Integer({ minimum: 1, maximum: 1000 }),
      /** How often the worker looks for due messages when nothing pokes it. */
      pollMs: Type.Integer({ minimum: 10, maximum: 600_000 }),
      /** Furthest date (days from today) a reply's promise to pay is recorded by itself; default 30. */
      promiseMaxDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    }),
    email: Type.Optional(EmailConfigSchema),
    whatsapp: Type.Optional(WhatsAppConfigSchema),
    /** Payments in (docs/payments.md). */
    payments: Type.Optional(
      Type.Object({
        /** HMAC secret of POST /payments. Only from the environment (BEREIK_PAYMENTS_WEBHOOK_SECRET) or webhookSecretFile; empty: the webhook is off. */
        webhookSecret: Type.String(),
        /** A file holding the secret (BEREIK_PAYMENTS_WEBHOOK_SECRET_FILE). */
        webhookSecretFile: Type.String(),
      }),
    ),
    /** Contact strategies (docs/strategy.md). */
    strategies: Type.Optional(
      Type.Object({
        /** E.164 the strategies' call campaigns show; empty: call steps are skipped (NO_CALLER_ID). */
        callerId: Type.String({ pattern: '^(\\+[1-9]\\d{6,14})?$', description: 'an E.164 number such as +31201234567, or empty' }),
        /** The strategy a debtor without one is given (its active version). */
        defaultId: Type.String({ minLength: 1 }),
        /** Local time (HH:MM, Europe/Amsterdam) `bereik serve` plans the day; empty: only over the API or the CLI. */
        planAt: Type.Optional(Type.String({ pattern: '^(([01]\\d|2[0-3]):[0-5]\\d)?$', description: 'a local time such as 07:30, or empty' })),
      }),
    ),
    /** The score per action (docs/reports.md). */
    reports: Type.Optional(
      Type.Object({
        /** A payment, promise or arrangement is credited to actions up to this many days before it. */
        attributionDays: Type.Integer({ minimum: 0, maximum: 90 }),
        /** What an action costs, in cents (fractions allowed: 0.5 is half a cent). */
        unitCosts: Type.Object({
          smsPartCents: Type.Number({ minimum: 0, maximum: 1000 }),
          emailCents: Type.Number({ minimum: 0, maximum: 1000 }),
          whatsappCents: Type.Number({ minimum: 0, maximum: 1000 }),
          callMinuteCents: Type.Number({ minimum: 0, maximum: 1000 }),
          agentMinuteCents: Type.Number({ minimum: 0, maximum: 10000 }),
          /** Per external kind (letter, visit, …); `default` for a kind not listed. */
          externalCents: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.Number({ minimum: 0, maximum: 1_000_000 })),
        }, { additionalProperties: false }),
      }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
