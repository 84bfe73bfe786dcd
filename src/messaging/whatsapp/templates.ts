/**
 * The pay-link template, as submitted to Meta for approval (docs/messaging-whatsapp.md has the
 * text to paste in WhatsApp Manager). Meta holds the approved text; a send names it and fills
 * its body parameters: {{1}} the creditor, {{2}} the total, {{3}} the tracked pay link. Our
 * copy renders the same message as readable text for the outbox row, so operators see what
 * the debtor got. Category "utility" (a payment reminder about an existing claim).
 */
import type { Language } from '../../store/types.ts';
import type { MessageTemplate } from '../../store/messages.ts';
import { formatEuro } from '../templates/sms.ts';

export const PAYLINK_TEMPLATE_TEXT: Record<Language, string> = {
  nl: '{{1}}: er staat nog {{2}} open. Betaal veilig via {{3}}\nVragen? Antwoord hier met BETAALD, REGELING of BEL. Geen berichten meer? Antwoord STOP.',
  en: '{{1}}: {{2}} is still outstanding. Pay securely at {{3}}\nQuestions? Reply here with PAID, ARRANGEMENT or CALL. No more messages? Reply STOP.',
};

export interface WhatsAppTemplateSettings {
  templateName: string;
  /** Bereik's language → the language code of the approved translation at Meta. */
  templateLanguages: Record<Language, string>;
}

export function payLinkWhatsApp(s: WhatsAppTemplateSettings, v: { lang: Language; creditor: string; totalCents: number; payUrl: string }): { template: MessageTemplate; body: string } {
  // Meta refuses a parameter with a newline, a tab or more than four spaces in a row (132018).
  const params = [v.creditor, formatEuro(v.totalCents, v.lang), v.payUrl].map((p) => p.replace(/\s+/g, ' ').trim());
  const body = PAYLINK_TEMPLATE_TEXT[v.lang].replace(/\{\{(\d)\}\}/g, (_, n: string) => params[Number(n) - 1] ?? '');
  return { template: { name: s.templateName, language: s.templateLanguages[v.lang], params }, body };
}
