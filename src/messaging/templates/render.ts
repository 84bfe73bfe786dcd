/**
 * The `{placeholder}` renderer for SMS texts. SMS is plain text, so values are escaped of
 * nothing; but a value never breaks a line (a creditor name pasted with a newline would
 * split the sentence on the handset), and a value is inserted once: a "{x}" inside a value
 * stays as written. A placeholder without a value is refused, named, with the ones known.
 */
import { BereikError } from '../../lib/errors.ts';

export type SmsValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** `where` names the template in errors, e.g. `sms "paylink_reply" (nl)`. */
export function renderSms(source: string, values: SmsValues, where: string): string {
  const unpaired = source.replace(PLACEHOLDER, '');
  if (/[{}]/.test(unpaired)) throw templateError(`${where}: a "{" or "}" without its partner; placeholders look like {creditor}`, where);
  const text = source.replace(PLACEHOLDER, (_, name: string) => {
    if (!Object.hasOwn(values, name)) {
      const known = Object.keys(values).map((k) => `{${k}}`).join(', ') || 'none';
      throw templateError(`${where}: unknown placeholder {${name}} (known here: ${known})`, where, name);
    }
    const value = oneLine(String(values[name]));
    if (value === '') throw templateError(`${where}: no value for {${name}}`, where, name);
    return value;
  });
  return text.trim();
}

/** Line breaks (and the spaces around them) become one space. */
export function oneLine(value: string): string {
  return value.replace(/[ \t]*[\r\n\u0085\u2028\u2029]+[ \t]*/g, ' ').trim();
}

export function templateError(message: string, where: string, placeholder?: string): BereikError {
  return new BereikError('SMS_TEMPLATE_INVALID', message, { where, ...(placeholder !== undefined ? { placeholder } : {}) });
}
