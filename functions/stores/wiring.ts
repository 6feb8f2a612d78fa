/**
 * The one place that wires the stores service to AWS. Each handler calls only the factory it needs, so a
 * function parses (and IAM grants) only the tables it declared.
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { readUserRoles } from '#shared/published/user-roles';
import { DynamoStoreLoadReader } from './adapters/dynamodb-load';
import { DynamoLocationRepository } from './adapters/dynamodb-locations';
import { DynamoStoreRepository } from './adapters/dynamodb-stores';
import type { LocationDeps, LocationRepository, ServiceabilityDeps, StaffDeps, StoresDeps } from './ports';

const name = z.string().check(z.minLength(1));

export function storesDeps(): StoresDeps {
  const env = parseEnv({ STORES_TABLE_NAME: name });
  return {
    stores: new DynamoStoreRepository(documentClient, env.STORES_TABLE_NAME),
    now: () => new Date(),
    newId: () => ulid(),
  };
}

/** AssignStoreStaff: the stores and the users' published roles. */
export function staffDeps(): StaffDeps {
  const env = parseEnv({ USERS_TABLE_NAME: name });
  return {
    ...storesDeps(),
    users: { roles: (userId) => readUserRoles(documentClient, env.USERS_TABLE_NAME, userId) },
  };
}

export function serviceabilityDeps(): ServiceabilityDeps {
  const env = parseEnv({ STORES_TABLE_NAME: name, STORE_LOAD_TABLE_NAME: name });
  return {
    stores: new DynamoStoreRepository(documentClient, env.STORES_TABLE_NAME),
    load: new DynamoStoreLoadReader(documentClient, env.STORE_LOAD_TABLE_NAME),
    now: () => new Date(),
  };
}

export function locationDeps(): LocationDeps {
  const env = parseEnv({ CUSTOMER_LOCATIONS_TABLE_NAME: name });
  return { ...serviceabilityDeps(), locations: locationsOf(env.CUSTOMER_LOCATIONS_TABLE_NAME) };
}

export function savedLocationDeps(): { locations: LocationRepository } {
  const env = parseEnv({ CUSTOMER_LOCATIONS_TABLE_NAME: name });
  return { locations: locationsOf(env.CUSTOMER_LOCATIONS_TABLE_NAME) };
}

const locationsOf = (table: string) => new DynamoLocationRepository(documentClient, table);
