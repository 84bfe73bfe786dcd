/**
 * SMPP 3.4 PDUs as typed values. The byte layout comes from the `smpp` package's codec
 * (its command and TLV tables hold up); what it lacks is added here:
 *   - decoding without its "filters", which guess a text encoding, turn dates into local
 *     Date objects and split UDH: we want the raw short_message bytes, to reassemble
 *     concatenated parts before decoding (a character may straddle two parts);
 *   - validation: the codec reads whatever is there (a truncated PDU yields undefined
 *     fields, an out-of-range read throws). decodePdu() never throws: it returns a typed
 *     PDU or a reason, with the generic_nack status the peer should get.
 */
import smpp from 'smpp';

export const CMD = {
  generic_nack: 0x80000000,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
} as const;
export type CommandName = keyof typeof CMD;

export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RMSGQFUL: 0x14,
  ESME_RTHROTTLED: 0x58,
} as const;

export type StatusName = `ESME_${string}`;
const statusNames = new Map<number, StatusName>(Object.entries(smpp.errors).map(([name, code]) => [code, name as StatusName]));
/** ESME_RINVDSTADR for 0x0B; an unlisted code as ESME_0x00000401 (vendor codes exist). */
export function statusName(status: number): StatusName {
  return statusNames.get(status) ?? `ESME_0x${status.toString(16).padStart(8, '0').toUpperCase()}`;
}

/** esm_class bits (SMPP 3.4 §5.2.12). */
export const ESM_UDHI = 0x40;
export const ESM_RECEIPT_MASK = 0x3c;
export const ESM_SMSC_RECEIPT = 0x04;

export const HEADER_LENGTH = 16;
/** Largest PDU we accept: a submit_sm with a full message_payload is far below this. */
export const MAX_PDU_LENGTH = 16 * 1024;

export interface MessagePdu {
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  source: string;
  destTon: number;
  destNpi: number;
  destination: string;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
  /** Raw bytes: short_message, or message_payload when short_message is empty. */
  message: Buffer;
  receiptedMessageId?: string;
  messageState?: number;
  /** sar_* TLVs (concatenation without UDH). */
  sar?: { ref: number; total: number; seq: number };
}

interface Head {
  sequence: number;
  status: number;
}
export type Pdu = Head &
  (
    | { command: 'bind_transceiver'; systemId: string; password: string; systemType: string }
    | { command: 'bind_transceiver_resp'; systemId: string }
    | ({ command: 'submit_sm' } & MessagePdu)
    | { command: 'submit_sm_resp'; messageId: string }
    | ({ command: 'deliver_sm' } & MessagePdu)
    | { command: 'deliver_sm_resp' }
    | { command: 'unbind' | 'unbind_resp' | 'enquire_link' | 'enquire_link_resp' | 'generic_nack' }
  );

export type Decoded =
  | { ok: true; pdu: Pdu }
  /** nack: the status to answer with (generic_nack), when the peer should hear about it. */
  | { ok: false; reason: string; commandId: number; sequence: number; nack: number };

const noFilter = (): void => {};

type Raw = Record<string, unknown> & { command: string; command_id: number; command_status: number; sequence_number: number };

/** Decodes one whole frame (length already checked by the framer). Never throws. */
export function decodePdu(frame: Buffer): Decoded {
  const commandId = frame.length >= 8 ? frame.readUInt32BE(4) : 0;
  const sequence = frame.length >= 16 ? frame.readUInt32BE(12) : 0;
  const bad = (reason: string, nack: number = STATUS.ESME_RINVMSGLEN): Decoded => ({ ok: false, reason, commandId, sequence, nack });
  if (frame.length < HEADER_LENGTH || frame.readUInt32BE(0) !== frame.length) return bad('length field does not match the frame', STATUS.ESME_RINVCMDLEN);
  const name = (Object.keys(CMD) as CommandName[]).find((k) => CMD[k] === commandId);
  if (!name) return bad(`unsupported command_id 0x${commandId.toString(16)}`, STATUS.ESME_RINVCMDID);
  let raw: Raw;
  try {
    raw = Object.create(smpp.PDU.prototype) as Raw;
    raw._filter = noFilter;
    (raw as unknown as InstanceType<typeof smpp.PDU>).fromBuffer(frame);
  } catch (err) {
    return bad(`${name} body cannot be read: ${(err as Error).message}`);
  }
  const head = { sequence, status: raw.command_status };
  // A response with an error status has no body (SMPP 3.4 §3.3); nothing more to check.
  if (name.endsWith('_resp') && head.status !== 0) return { ok: true, pdu: respWithoutBody(name, head) };
  const str = (k: string, max: number): string | undefined => {
    const v = raw[k];
    return typeof v === 'string' && v.length <= max ? v : undefined;
  };
  const int = (k: string): number | undefined => (typeof raw[k] === 'number' ? (raw[k] as number) : undefined);
  switch (name) {
    case 'bind_transceiver': {
      const systemId = str('system_id', 15), password = str('password', 8), systemType = str('system_type', 12);
      if (systemId === undefined || password === undefined || systemType === undefined) return bad('bind_transceiver is truncated or has an over-long field');
      return { ok: true, pdu: { command: name, ...head, systemId, password, systemType } };
    }
    case 'bind_transceiver_resp':
      return { ok: true, pdu: { command: name, ...head, systemId: str('system_id', 15) ?? '' } };
    case 'submit_sm_resp': {
      const messageId = str('message_id', 64);
      if (!messageId) return bad('submit_sm_resp has no message_id');
      return { ok: true, pdu: { command: name, ...head, messageId } };
    }
    case 'submit_sm':
    case 'deliver_sm': {
      const m = messageFields(raw, str, int);
      if (typeof m === 'string') return bad(`${name}: ${m}`);
      return { ok: true, pdu: { command: name, ...head, ...m } };
    }
    default:
      return { ok: true, pdu: { command: name, ...head } as Pdu };
  }
}

function respWithoutBody(name: CommandName, head: Head): Pdu {
  if (name === 'submit_sm_resp') return { command: name, ...head, messageId: '' };
  if (name === 'bind_transceiver_resp') return { command: name, ...head, systemId: '' };
  return { command: name, ...head } as Pdu;
}

function messageFields(
  raw: Raw,
  str: (k: string, max: number) => string | undefined,
  int: (k: string) => number | undefined,
): MessagePdu | string {
  const serviceType = str('service_type', 5), source = str('source_addr', 20), destination = str('destination_addr', 20);
  const sourceTon = int('source_addr_ton'), sourceNpi = int('source_addr_npi'), destTon = int('dest_addr_ton'), destNpi = int('dest_addr_npi');
  const esmClass = int('esm_class'), registeredDelivery = int('registered_delivery'), dataCoding = int('data_coding');
  const sm = raw.short_message;
  if (serviceType === undefined || source === undefined || destination === undefined) return 'an address field is missing or longer than SMPP allows';
  if (sourceTon === undefined || sourceNpi === undefined || destTon === undefined || destNpi === undefined) return 'an address TON/NPI is missing';
  if (esmClass === undefined || registeredDelivery === undefined || dataCoding === undefined || !Buffer.isBuffer(sm)) return 'truncated before short_message';
  const payload = raw.message_payload;
  const message = sm.length === 0 && Buffer.isBuffer(payload) ? payload : sm;
  const out: MessagePdu = { serviceType, sourceTon, sourceNpi, source, destTon, destNpi, destination, esmClass, registeredDelivery, dataCoding, message };
  const rid = raw.receipted_message_id;
  if (typeof rid === 'string' && rid.length <= 64) out.receiptedMessageId = rid;
  const state = int('message_state');
  if (state !== undefined) out.messageState = state;
  const ref = int('sar_msg_ref_num'), total = int('sar_total_segments'), seq = int('sar_segment_seqnum');
  if (ref !== undefined && total !== undefined && seq !== undefined) out.sar = { ref, total, seq };
  return out;
}

type EncodeFields = Record<string, string | number | Buffer | undefined>;

/** Encodes a PDU with the package's codec (status ≠ 0 on a response: header only, as §3.3 says). */
export function encodePdu(command: CommandName, sequence: number, fields: EncodeFields = {}, status = 0): Buffer {
  const options: Record<string, unknown> = { sequence_number: sequence, command_status: status };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) options[k] = v;
  const pdu = new smpp.PDU(command, options);
  (pdu as unknown as { _filter: () => void })._filter = noFilter;
  return pdu.toBuffer();
}

/** submit_sm / deliver_sm fields from a MessagePdu-like value. */
export function messageToFields(m: Omit<MessagePdu, 'serviceType'> & { serviceType?: string }): EncodeFields {
  return {
    service_type: m.serviceType ?? '',
    source_addr_ton: m.sourceTon, source_addr_npi: m.sourceNpi, source_addr: m.source,
    dest_addr_ton: m.destTon, dest_addr_npi: m.destNpi, destination_addr: m.destination,
    esm_class: m.esmClass, registered_delivery: m.registeredDelivery, data_coding: m.dataCoding,
    short_message: m.message,
    receipted_message_id: m.receiptedMessageId, message_state: m.messageState,
  };
}
