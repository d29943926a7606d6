/**
 * Reads the Kanseki Repository's Org-mode catalogue files (src/demo/kanripo/NOTICE.md): one
 * heading per work (`*** KR1a0002 子夏易傳-周-卜商`) with EXTENT (卷), BOOK (冊) and persons
 * carrying DYNASTY and FUNCTION (著作方式).
 */
export interface KanripoPerson {
  name: string;
  dynasty: string | null;
  role: string | null;
}

export interface KanripoWork {
  id: string;
  /** The class heading the file belongs to, e.g. `易類`. */
  category: string;
  title: string;
  juan: number | null;
  volumes: number | null;
  persons: KanripoPerson[];
}

export function readKanripoCatalog(org: string): KanripoWork[] {
  const works: KanripoWork[] = [];
  let category = '';
  let work: KanripoWork | null = null;
  let person: KanripoPerson | null = null;
  let inPersons = false;
  const property = (line: string, key: string) => {
    const m = new RegExp(`^\\s*:${key}:\\s*(.*?)\\s*$`).exec(line);
    return m ? m[1]! : null;
  };
  for (const line of org.split('\n')) {
    const cat = /^\*\* \S+ \S+ (\S+)/.exec(line);
    if (cat) category = cat[1]!;
    const head = /^\*\*\* (KR\w+) (.+)$/.exec(line);
    if (head) {
      // The heading is `title-dynasty-person`; the title itself never contains a hyphen here.
      const title = head[2]!.split('-')[0]!.trim();
      work = { id: head[1]!, category, title, juan: null, volumes: null, persons: [] };
      works.push(work);
      person = null;
      inPersons = false;
      continue;
    }
    if (!work) continue;
    const section = /^\*{4} (\S+)/.exec(line);
    if (section) {
      // Level-4 sections: 人物 (persons) and 版本 (editions, e.g. WYG = 文淵閣).
      inPersons = section[1] === '人物';
      person = null;
      continue;
    }
    const personHead = /^\*{5} (\S.*)$/.exec(line);
    if (personHead && inPersons) {
      person = { name: personHead[1]!.trim(), dynasty: null, role: null };
      work.persons.push(person);
      continue;
    }
    const extent = property(line, 'EXTENT');
    if (extent) work.juan = /^(\d+)\s*卷$/.test(extent) ? Number(/^\d+/.exec(extent)![0]) : null;
    const book = property(line, 'BOOK');
    if (book) work.volumes = /^\(?(\d+)\)?$/.test(book) ? Number(/\d+/.exec(book)![0]) : null;
    if (person) {
      const dynasty = property(line, 'DYNASTY');
      if (dynasty !== null) person.dynasty = dynasty || null;
      const role = property(line, 'FUNCTION');
      if (role !== null) person.role = role || null;
    }
  }
  return works;
}
