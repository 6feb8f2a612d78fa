import { pathToFileURL } from 'node:url';
const before = new Set(process.moduleLoadList);
await import(pathToFileURL(process.argv[2]).href);
console.log(process.moduleLoadList.filter((m) => !before.has(m)).join('\n'));
process.exit(0);
