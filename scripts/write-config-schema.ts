import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integrationConfigJsonSchema } from '../shared/config/integration';

const target = join(__dirname, '..', 'shared', 'config', 'integration.schema.json');
writeFileSync(target, `${JSON.stringify(integrationConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
