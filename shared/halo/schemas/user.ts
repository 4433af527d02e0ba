import { z } from 'zod';
import { customFieldSchema, haloId, optionalFlag, optionalId, optionalText } from './common';

export const userSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  firstname: optionalText,
  surname: optionalText,
  emailaddress: optionalText,
  phonenumber: optionalText,
  mobilenumber: optionalText,
  title: optionalText,
  login: optionalText,
  site_id: z.number().nullish(),
  site_name: optionalText,
  client_id: optionalId,
  client_name: optionalText,
  inactive: optionalFlag,
  azureoid: optionalText,
  azure_tenant_id: optionalText,
  isgeneraluser: optionalFlag,
  customfields: z.array(customFieldSchema).nullish(),
});

export type HaloUser = z.infer<typeof userSchema>;

/** A new contact. `site_id` decides the client. */
export interface UserDraft {
  name: string;
  site_id: number;
  firstname?: string;
  surname?: string;
  emailaddress?: string;
  phonenumber?: string;
  mobilenumber?: string;
  title?: string;
  azureoid?: string;
  azure_tenant_id?: string;
  inactive?: boolean;
  customfields?: { id: number; value: unknown }[];
}

export type UserPatch = Partial<UserDraft> & { id: number };
