/** bpmn-js `translate` service with our dictionary: Vietnamese in the modeller, its panel and the linter. */
import { getLang } from '../../i18n.ts';
import { VI } from './vi.ts';

function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = getLang() === 'vi' ? (VI[template] ?? template) : template;
  return text.replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

export default { translate: ['value', translate] };
