/**
 * Public routes that identify their caller (ADR 12): the auth stack reads the pool's public keys at
 * deploy time, and exactly the functions of such routes get them (with the issuer and app client).
 */
import { Match } from 'aws-cdk-lib/assertions';
import type { AppDef } from '../../lib/app/types';
import { fixtureApp } from './fixtures/app';
import { synth, type Synthesized } from './fixtures/synth';

// The fixture's product route, made public with an optional caller.
const identified: AppDef = {
  ...fixtureApp,
  functions: fixtureApp.functions.map((fn) =>
    fn.name === 'GetProduct' && fn.trigger.kind === 'http'
      ? {
          ...fn,
          trigger: {
            ...fn.trigger,
            route: { ...fn.trigger.route, auth: { public: true, identifiesCaller: true } },
          },
        }
      : fn,
  ),
};

type Fn = { Properties: { Description: string; Environment?: { Variables?: Record<string, unknown> } } };

describe('caller tokens on public routes', () => {
  let prod: Synthesized;
  beforeAll(() => {
    prod = synth('prod', identified);
  });

  it("reads the user pool's JWKS at deploy time through a custom resource", () => {
    prod.templates.auth.hasResourceProperties('Custom::UserPoolKeys', {
      JwksUrl: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.')])],
      },
    });
  });

  it('gives the keys, issuer and client id to the functions of such routes only', () => {
    const functions = Object.values(prod.templates.api.findResources('AWS::Lambda::Function')) as Fn[];
    const withKeys = functions.filter((f) => f.Properties.Environment?.Variables?.CALLER_TOKEN_JWKS);
    expect(withKeys.map((f) => f.Properties.Description)).toEqual(['Reads a product']);
    expect(Object.keys(withKeys[0]!.Properties.Environment!.Variables!)).toEqual(
      expect.arrayContaining(['CALLER_TOKEN_ISSUER', 'CALLER_TOKEN_JWKS', 'CALLER_TOKEN_CLIENT_ID']),
    );
  });

  it('puts no authorizer on such a route: anonymous callers stay welcome', () => {
    prod.templates.api.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      ResourceId: Match.anyValue(),
    });
  });
});
