import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, loadConfig } from '../../src/config/load.ts';

/** Asterisk's config syntax: [section] (with optional template marks), key = value or key => value, ; comments. */
interface Section {
  name: string;
  entries: Array<[string, string]>;
}

function parseConf(file: string): Section[] {
  const sections: Section[] = [];
  const lines = readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|[^\\]);.*$/, '$1').trim();
    if (!line) return;
    const where = `${file}:${i + 1}: ${raw}`;
    const header = /^\[([^\]]+)\](\(!?[\w,-]*\))?$/.exec(line);
    if (header) {
      sections.push({ name: header[1]!, entries: [] });
      return;
    }
    if (line.startsWith('#include')) return;
    const kv = /^([\w.-]+)\s*=>?\s*(.*)$/.exec(line);
    assert.ok(kv, `not a section, key = value or #include: ${where}`);
    assert.ok(sections.length, `key outside a section: ${where}`);
    sections.at(-1)!.entries.push([kv[1]!, kv[2]!]);
  });
  return sections;
}

const get = (s: Section | undefined, key: string) => s?.entries.find(([k]) => k === key)?.[1];
const find = (sections: Section[], name: string, type?: string) =>
  sections.find((s) => s.name === name && (type === undefined || get(s, 'type') === type));

/** exten => X,1,App(args) / same => n,App(args): the applications run for each extension, in order. */
function dialplan(file: string): Map<string, Map<string, string[]>> {
  const contexts = new Map<string, Map<string, string[]>>();
  for (const section of parseConf(file)) {
    const extens = new Map<string, string[]>();
    let current: string[] | undefined;
    for (const [key, value] of section.entries) {
      if (key === 'exten') {
        const [exten, priority, ...app] = value.split(',');
        assert.equal(priority, '1', `${section.name} ${exten}: starts at priority 1`);
        current = [app.join(',')];
        extens.set(exten!, current);
      } else if (key === 'same') {
        const [priority, ...app] = value.split(',');
        assert.equal(priority, 'n', `${section.name}: same => n,...`);
        assert.ok(current, `${section.name}: same => before any exten`);
        current.push(app.join(','));
      }
    }
    contexts.set(section.name, extens);
  }
  return contexts;
}

const config = loadConfig({});
const app = config.ari.app;

test('outbound calls run AMD and then enter the Stasis app with call id, AMD status and cause', () => {
  const plan = dialplan('dialplans/extensions.conf');
  const outbound = plan.get(config.dialer.outboundContext)?.get('s');
  assert.ok(outbound, `context ${config.dialer.outboundContext} (dialer.outboundContext) with extension s`);
  assert.deepEqual(outbound.slice(1), ['AMD()', `Stasis(${app},outbound,\${BEREIK_CALL_ID},\${AMDSTATUS},\${AMDCAUSE})`, 'Hangup()']);
  assert.match(outbound[0]!, /^NoOp\(/);
  const noAmd = plan.get('bereik-outbound-noamd')?.get('s');
  assert.ok(noAmd);
  assert.ok(!noAmd.some((a) => a.startsWith('AMD(')), 'no AMD for amd=false campaigns');
  assert.ok(noAmd.includes(`Stasis(${app},outbound,\${BEREIK_CALL_ID},NOTCHECKED,)`));
});

test('calls to the recognisable number enter the Stasis app as inbound, with or without a dialled number', () => {
  const inbound = dialplan('dialplans/extensions.conf').get('bereik-inbound');
  assert.ok(inbound);
  for (const exten of ['_X.', '_+X.', 's']) {
    const apps = inbound.get(exten);
    assert.ok(apps, `bereik-inbound has ${exten}`);
    assert.deepEqual(apps.slice(-2), [`Stasis(${app},inbound,\${EXTEN})`, 'Hangup()']);
  }
});

test('agent phones land in a context that cannot dial out', () => {
  const plan = dialplan('dialplans/extensions.conf');
  const pjsip = parseConf('config/asterisk/pjsip.conf');
  for (const agent of ['agent1001', 'agent1002']) {
    const endpoint = find(pjsip, agent, 'endpoint');
    assert.ok(endpoint, agent);
    const context = get(endpoint, 'context')!;
    const apps = [...(plan.get(context)?.values() ?? [])].flat();
    assert.ok(plan.has(context), `${agent}: context ${context} exists`);
    assert.ok(!apps.some((a) => /^(Dial|Stasis|Originate)\(/.test(a)), `${context} dials nothing: ${apps.join(' ')}`);
    assert.ok(find(pjsip, get(endpoint, 'auth')!, 'auth'), `${agent} needs a password`);
    assert.ok(find(pjsip, get(endpoint, 'aors')!, 'aor'), `${agent} has an AOR`);
  }
});

test('the trunk Bereik dials through sends caller ID in PAI, trusts it inbound, and uses RFC 4733 DTMF', () => {
  const pjsip = parseConf('config/asterisk/pjsip.conf');
  const trunkName = /@([\w-]+)/.exec(config.dialer.endpointTemplate)?.[1];
  const trunk = find(pjsip, trunkName!, 'endpoint');
  assert.ok(trunk, `endpoint ${trunkName} from dialer.endpointTemplate`);
  assert.equal(get(trunk, 'context'), 'bereik-inbound');
  assert.ok(dialplan('dialplans/extensions.conf').has('bereik-inbound'));
  const expected = { direct_media: 'no', dtmf_mode: 'rfc4733', send_pai: 'yes', trust_id_inbound: 'yes' };
  for (const [key, value] of Object.entries(expected)) assert.equal(get(trunk, key), value, `trunk ${key}`);
  assert.ok(find(pjsip, get(trunk, 'aors')!, 'aor'));
  assert.equal(get(pjsip.find((s) => get(s, 'type') === 'identify'), 'endpoint'), trunkName);
  assert.ok(pjsip.some((s) => get(s, 'type') === 'transport' && get(s, 'protocol') === 'udp'));
});

test('ARI listens on loopback 8088 for the user Bereik logs in as, with a placeholder password', () => {
  const http = find(parseConf('config/asterisk/http.conf'), 'general');
  assert.equal(get(http, 'enabled'), 'yes');
  assert.equal(get(http, 'bindaddr'), '127.0.0.1');
  assert.equal(get(http, 'bindport'), '8088');
  // Over sessionlimit Asterisk drops new connections unread: Bereik's pool plus its events socket must fit.
  assert.ok(Number(get(http, 'sessionlimit')) > config.ari.maxConnections + 1, `sessionlimit ${get(http, 'sessionlimit')} leaves room for ari.maxConnections ${config.ari.maxConnections} + the events socket`);
  const ari = parseConf('config/asterisk/ari.conf');
  assert.equal(get(find(ari, 'general'), 'enabled'), 'yes');
  const user = find(ari, config.ari.user, 'user');
  assert.ok(user, `ari.conf user ${config.ari.user} (ari.user)`);
  assert.equal(get(user, 'read_only'), 'no');
  assert.match(get(user, 'password')!, /^CHANGE-ME/);
});

test('AMD settings and the default music-on-hold class are in place', () => {
  const amd = find(parseConf('config/asterisk/amd.conf'), 'general');
  const expected = { initial_silence: '2500', greeting: '1500', after_greeting_silence: '800', total_analysis_time: '5000', min_word_length: '100', between_words_silence: '50', maximum_number_of_words: '3', silence_threshold: '256', maximum_word_length: '5000' };
  for (const [key, value] of Object.entries(expected)) assert.equal(get(amd, key), value, key);
  const moh = find(parseConf('config/asterisk/musiconhold.conf'), 'default');
  assert.equal(get(moh, 'mode'), 'files');
});

test('every module docs/asterisk-setup.md asks for is loaded by modules.conf, app_amd among them', () => {
  const modules = find(parseConf('config/asterisk/modules.conf'), 'modules');
  assert.ok(modules);
  const loaded = new Set(modules.entries.filter(([k]) => k === 'require' || k === 'load').map(([, v]) => v));
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'asterisk-setup.md'), 'utf8');
  const listed = new Set(page.match(/\b[a-z][a-z0-9_]*\.so\b/g));
  assert.ok(listed.size >= 10, `docs/asterisk-setup.md names the modules (${listed.size})`);
  for (const mod of listed) assert.ok(loaded.has(mod), `${mod} from docs/asterisk-setup.md is in modules.conf`);
  for (const mod of ['app_amd.so', 'app_stasis.so', 'res_ari.so', 'res_http_websocket.so', 'chan_pjsip.so']) {
    assert.ok(modules.entries.some(([k, v]) => k === 'require' && v === mod), `${mod} is required`);
  }
});

test('every module a call path needs is required, each with the reason beside it', () => {
  const text = readFileSync(join(PROJECT_ROOT, 'config/asterisk/modules.conf'), 'utf8');
  const requires = text.split('\n').filter((l) => /^require\s*=/.test(l));
  for (const line of requires) assert.match(line, /;\s*\S.{8,}/, `the reason why: ${line}`);
  const required = new Set(requires.map((l) => /=\s*([\w.]+)/.exec(l)![1]));
  // Found on a real Asterisk 22: bridge music on hold answered 500 "Allocation failed" without chan_bridge_media.
  const callPaths = {
    'bridge music on hold and bridge prompts': ['chan_bridge_media.so', 'res_timing_timerfd.so', 'res_musiconhold.so', 'bridge_holding.so'],
    'debtor + agent': ['bridge_simple.so', 'bridge_softmix.so'],
    'outbound with AMD': ['app_amd.so', 'app_stasis.so', 'pbx_config.so', 'chan_pjsip.so', 'res_pjsip_session.so', 'res_rtp_asterisk.so'],
    'prompts': ['res_stasis_playback.so', 'res_ari_playbacks.so', 'format_wav.so', 'codec_alaw.so', 'codec_ulaw.so'],
    'ARI': ['res_ari.so', 'res_ari_channels.so', 'res_ari_bridges.so', 'res_ari_events.so', 'res_http_websocket.so', 'res_stasis.so'],
  };
  for (const [path, mods] of Object.entries(callPaths)) {
    for (const mod of mods) assert.ok(required.has(mod), `${path}: ${mod} is required`);
  }
});

test('browser softphones: a WebSocket transport, a WebRTC template in the agents context, a writable wizard for pushed endpoints, and the modules they need', () => {
  const pjsip = parseConf('config/asterisk/pjsip.conf');
  assert.equal(get(find(pjsip, 'transport-ws', 'transport'), 'protocol'), 'ws');
  const tpl = find(pjsip, 'bereik-webrtc', 'endpoint');
  assert.ok(tpl, 'the WebRTC endpoint template');
  assert.equal(get(tpl, 'webrtc'), 'yes');
  assert.equal(get(tpl, 'dtls_auto_generate_cert'), 'yes');
  assert.equal(get(tpl, 'context'), 'bereik-agents', 'the same context as desk phones: it dials nothing');
  assert.match(get(tpl, 'allow') ?? '', /ulaw/);
  // ARI can only create PJSIP objects in a wizard that takes writes: memory after config.
  const sorcery = find(parseConf('config/asterisk/sorcery.conf'), 'res_pjsip');
  for (const type of ['endpoint', 'auth', 'aor']) {
    const wizards = sorcery?.entries.filter(([k]) => k === type).map(([, v]) => v.split(',')[0]);
    assert.deepEqual(wizards, ['config', 'memory'], `${type}: pjsip.conf first, then pushed objects`);
  }
  const required = parseConf('config/asterisk/modules.conf').flatMap((s) => s.entries.filter(([k]) => k === 'require').map(([, v]) => v.trim()));
  for (const m of ['res_pjsip_transport_websocket.so', 'res_srtp.so', 'res_http_websocket.so', 'res_sorcery_memory.so']) assert.ok(required.includes(m), `modules.conf requires ${m}`);
  // The defaults Bereik pushes match the template's codecs.
  assert.equal(loadConfig({}).agents.softphoneCodecs, 'ulaw,alaw');
});
