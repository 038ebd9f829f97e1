/** Every word of the glossary at once: what a class can read before the lesson, or point at during it. */
import { glossary, type GlossaryTerm } from './glossary';

const order: GlossaryTerm[] = ['LEO', 'HW', 'ISR', 'epoch', 'controller', 'session', 'zxid', 'gen', 'position', 'committed'];

export function GlossaryPanel() {
  return (
    <dl className="glossary" data-testid="glossary">
      {order.map((term) => (
        <div key={term} data-testid={`glossary-${term}`}>
          <dt>{term}</dt>
          <dd>{glossary[term]}</dd>
        </div>
      ))}
    </dl>
  );
}
