/** A small document that uses every part of the model, for the writer tests. */
import { parseMarkup } from '../../src/render/markup.js';
import type { Document } from '../../src/model.js';

export const HOSTILE = '*stjärna* _under_ # hash <tagg> & {{mustasch}}';

export function sampleDocument(title = 'Prov – å ä ö & <test>'): Document {
  return {
    meta: {
      title,
      author: 'Samordningsförbunden i Västmanland',
      subject: 'Ett prov av alla block',
      keywords: ['Västmanland', 'prov'],
      language: 'sv-SE',
      dnr: 'SFV 2023/17',
      date: '2023-03-01',
      documentId: 'prov',
      member: { id: 'koping', name: 'Köpings kommun & <Co>' },
      charter: { version: '0123456789ab', label: 'Förslag', adopted: '2023-02-14' },
      timestamp: new Date('2023-03-01T08:00:00Z'),
    },
    blocks: parseMarkup(
      `<h1>Förbundsordning – prov</h1>
       <p>Åsa Öberg skriver § 5 och 1\u00a0234\u00a0567 kronor, 25\u00a0% – ”citat”.</p>
       <p>${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>
       <h2 class="article">Namn</h2>
       <p>Förbundets namn är <em>Samordningsförbundet Västmanland</em>.</p>
       <h2 class="article">Säte</h2>
       <ul><li>Första punkten</li><li>Andra punkten<ol><li>inre ett</li><li>inre två</li></ol></li></ul>
       <h3>Tabell</h3>
       <table data-widths="2 1"><thead><tr><th>Medlem</th><th>Andel</th></tr></thead>
       <tbody><tr><td>Staten</td><td>50\u00a0%</td></tr><tr><td>Region Västmanland</td><td>25\u00a0%</td></tr></tbody></table>
       <p class="decision">Kommunfullmäktige beslutar att anta förbundsordningen.</p>
       <signatures>
         <signature party="Köpings kommun" name="Åsa Öberg" title="Ordförande" place="Köping" date="2023-03-02" method="bläck"></signature>
         <signature party="Västerås stad"></signature>
       </signatures>`,
      'fixture',
    ),
  };
}
