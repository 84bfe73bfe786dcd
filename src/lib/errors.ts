/**
 * One catalogue of error codes (STYLE.md: errors have codes). A user-facing error names
 * what, where and why; the code is stable so tests and API clients can rely on it.
 * docs/errors.md describes each code.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'a configuration value is missing or not allowed',
  DB_TOO_NEW: 'the database was written by a newer Bereik than this one',
  AUTH_MISSING: 'no bearer token was sent',
  AUTH_INVALID: 'the bearer token is unknown or revoked',
  AUTH_FORBIDDEN: 'the token does not have the role this route needs',
  AUTH_RATE_LIMITED: 'too many failed attempts from this address',
  AUTH_SCOPE: 'the token is limited to some creditors and this route answers across every creditor',
  ERASURE_CLAIM_OPEN: 'the debtor still has a claim that is legally open; erasure needs force with a reason',
  AUDIT_CHAIN_BROKEN: 'an access-audit entry was edited or removed: its hash chain does not hold',
  VALIDATION: 'a request field is missing or has a value that is not allowed',
  NOT_FOUND: 'the resource does not exist',
  CONFLICT: 'the request conflicts with the current state',
  CAMPAIGN_BAD_TRANSITION: 'the campaign cannot move to that state from its current one',
  IMPORT_BAD_FILE: 'the uploaded file cannot be read as a CSV campaign file',
  IMPORT_BAD_ROW: 'one or more rows of the CSV file are invalid',
  IMPORT_TOO_LARGE: 'the uploaded file is larger than the configured upload limit',
  PAYMENT_BAD_FILE: 'the uploaded payment file cannot be read as a payment CSV or a CAMT.053 statement (or carries a DOCTYPE)',
  PAYMENT_WEBHOOK_UNSIGNED: 'a payment webhook came without X-Bereik-Timestamp and X-Bereik-Signature',
  PAYMENT_WEBHOOK_BAD_SIGNATURE: 'the payment webhook signature does not match the body and the shared secret',
  PAYMENT_WEBHOOK_STALE: 'the payment webhook timestamp is more than 5 minutes from now',
  PAYMENT_WEBHOOK_REPLAYED: 'this payment webhook request (its signature) was already received once',
  PAYMENT_WEBHOOK_DISABLED: 'no payments.webhookSecret is configured, so no webhook is accepted',
  WA_WEBHOOK_UNSIGNED: 'a WhatsApp webhook came without X-Hub-Signature-256',
  WA_WEBHOOK_BAD_SIGNATURE: 'the WhatsApp webhook signature does not match the raw body and the app secret',
  WA_WEBHOOK_MALFORMED: 'a (correctly signed) WhatsApp webhook body is not the documented shape',
  WA_WEBHOOK_VERIFY_FAILED: "Meta's webhook verification did not carry our verify token",
  WA_DISABLED: 'no WhatsApp channel runs (or it is starting or stopping), so its webhook accepts nothing now',
  ARI_HTTP: 'Asterisk answered an ARI request with an error status',
  ARI_UNREACHABLE: 'Asterisk could not be reached over ARI',
  ARI_CHANNEL_GONE: 'the channel no longer exists in Asterisk',
  ARI_BRIDGE_GONE: 'the bridge no longer exists in Asterisk',
  ARI_CONFIG_REFUSED: 'Asterisk refused a pushed PJSIP object: sorcery.conf has no writable (memory) wizard for it',
  TTS_FAILED: 'the prompt text could not be turned into audio',
  PROMPT_INVALID: 'a prompt file is missing a prompt, or a prompt uses a placeholder or value that is not allowed',
  // Recorded prompts (docs/recorded-prompts.md): why an upload was refused.
  RECORDING_KEY_UNKNOWN: 'a recording was uploaded for a key that is neither a piece of a prompt nor a known number word',
  RECORDING_NOT_AUDIO: 'the uploaded recording is not audio sox can read (empty, text, a cut-off or unknown file)',
  RECORDING_FORMAT_UNSUPPORTED: 'the uploaded recording is MP3 but this machine\'s sox cannot read MP3 (install libsox-fmt-mp3)',
  RECORDING_SILENT: 'the uploaded recording holds no sound above the silence threshold',
  RECORDING_CLIPPED: 'the uploaded recording is clipped (runs of samples at full scale): record it again at a lower level',
  RECORDING_TOO_LONG: 'the uploaded recording is longer than tts.recordingMaxSeconds after its silence is trimmed, or larger than the upload limit',
  SMS_TEMPLATE_INVALID: 'an SMS text uses a placeholder it has no value for, or a value does not fit (amount, link, sender, opt-out)',
  MESSAGE_NOT_SENDABLE: 'the message cannot be composed for this debtor (no mobile number, no e-mail address, no pay link, opted out…)',
  AGENT_UNAVAILABLE: 'no agent could take the call',
  AGENT_LINE_FAILED: "the agent's line could not be opened: their phone did not answer or could not be reached",
  SUPERVISOR_NO_PHONE: 'the supervisor token is not linked to an agent record, so Bereik has no phone to ring for listening in',
  SUPERVISOR_PHONE_FAILED: "the supervisor's phone did not answer or could not be reached, so listening in did not start",
  RECORDING_UNAVAILABLE: 'the recording is still being made, failed in Asterisk, or its file is gone',
  SOFTPHONE_DISABLED: 'the desktop softphone is not configured (agents.softphone.wsUrl is empty)',
  // SMS channel submit results (src/messaging/sms; SMSC refusals keep their ESME_* names: docs/messaging-smpp.md).
  SMPP_NOT_BOUND: 'no SMPP bind is up: the message was not taken and may be offered again',
  SMPP_QUEUE_FULL: 'too many SMS wait for a window on the binds: offer the message again later',
  SMPP_STOPPING: 'the SMS channel is stopping: offer the message again after the restart',
  SMPP_CONNECTION_LOST: 'the SMPP connection dropped after the submit_sm left: the SMSC may have the message',
  SMPP_NO_RESPONSE: 'no submit_sm_resp came in time: the SMSC may have the message',
  SMS_BAD_DESTINATION: 'the SMS destination is not an E.164 number',
  SMS_BAD_SENDER: 'the SMS sender is neither an E.164 number, a short code, nor an alphanumeric sender of 1-11 GSM characters',
  SMS_EMPTY: 'the SMS has no text',
  SMS_TOO_LONG: 'the SMS needs more parts than sms.maxParts allows',
  SMS_PARTIAL: 'a later part of a concatenated SMS was refused after earlier parts were accepted',
  INTERNAL: 'an unexpected failure; the log has the details',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class BereikError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'BereikError';
  }
}

export function isBereikError(err: unknown, code?: ErrorCode): err is BereikError {
  return err instanceof BereikError && (code === undefined || err.code === code);
}
