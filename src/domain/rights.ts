/**
 * Licence and rights-statement URIs as IIIF Presentation 3.0 §3.3.1 (`rights`) wants them: "The
 * value MUST be a string. If the value is drawn from Creative Commons or RightsStatements.org,
 * then the string MUST be a URI defined by that specification", and the official schema accepts
 * only the `http` forms (`http://creativecommons.org/licenses/…`, `…/publicdomain/…`,
 * `http://rightsstatements.org/vocab/…/1.0/`). People paste what their browser shows — `https`,
 * `www.`, a `deed.zh-hans` or `legalcode` page, RightsStatements.org's `/page/` view — so those
 * are read as the licence they name; anything else on those sites (the about page, a licence
 * chooser) is not a licence. Pure.
 */

/** The Creative Commons licences and public-domain tools (creativecommons.org/licenses/). */
const CC = /^https?:\/\/(?:www\.)?creativecommons\.org\/(licenses\/(?:by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)\/(?:1\.0|2\.0|2\.5|3\.0|4\.0)(?:\/[a-z]{2})?|publicdomain\/(?:zero|mark)\/1\.0)(?:\/(?:deed\.[A-Za-z-]+|legalcode(?:\.[A-Za-z-]+)?)?)?\/?$/;
/** The twelve RightsStatements.org statements (rightsstatements.org/vocab/, version 1.0). */
const RS = /^https?:\/\/(?:www\.)?rightsstatements\.org\/(?:vocab|page)\/(InC|InC-OW-EU|InC-EDU|InC-NC|InC-RUU|NoC-CR|NoC-NC|NoC-OKLR|NoC-US|CNE|UND|NKC)\/1\.0\/?(?:\?.*)?$/;

export const RIGHTS_PROBLEM = 'must be a Creative Commons licence or public-domain tool, or a RightsStatements.org statement (IIIF Presentation 3.0 §3.3.1, rights)';

/** The canonical URI of the licence or statement `uri` names; null when it names none. */
export function canonicalRights(uri: string): string | null {
  if (uri.length > 300) return null;
  const cc = CC.exec(uri);
  if (cc) return `http://creativecommons.org/${cc[1]}/`;
  const rs = RS.exec(uri);
  if (rs) return `http://rightsstatements.org/vocab/${rs[1]}/1.0/`;
  return null;
}
