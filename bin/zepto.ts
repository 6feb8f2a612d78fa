#!/usr/bin/env node
/**
 * CDK entry point, and the only place that reads context or environment:
 *   npx cdk synth -c stage=prod            (stage: local | dev | staging | prod, default dev)
 *   npx cdk deploy -c stage=dev -c account=123456789012 --all
 * Without `account` the stacks are account-agnostic (region ap-south-1).
 */
import { App } from 'aws-cdk-lib';
import { app as definition } from '../lib/app/app';
import { getStageConfig } from '../lib/config/stages';
import { buildZepto } from '../lib/stacks/zepto';

const cdkApp = new App();
const stage = String(cdkApp.node.tryGetContext('stage') ?? 'dev');
const account: unknown = cdkApp.node.tryGetContext('account');

let config;
try {
  config = getStageConfig(stage);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
if (account !== undefined) config = { ...config, env: { ...config.env, account: String(account) } };

buildZepto(cdkApp, { config, definition });
