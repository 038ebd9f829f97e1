/** The real hosted modules: the coordinator client library and the controller. */
import { zkClientCreate, zkClientHandle, zkClientStart, zkCreate, zkDelete, zkGetData } from '../coordinator';
import {
  controllerOnMessage, controllerOnSession, controllerOnTimer, controllerOnZk, createControllerState, describeController,
  isActiveController,
} from '../controller';
import type { HostedModules } from './hosted';

export const clusterModules: HostedModules = {
  zkClientCreate,
  zkClientStart,
  zkClientHandle,
  zkCreate: (zk, ctx, path, data, options, tag) => zkCreate(zk, ctx, path, data, options, tag),
  zkGetData,
  zkDelete,
  createControllerState,
  controllerOnSession,
  controllerOnZk,
  controllerOnMessage,
  controllerOnTimer,
  isActiveController,
  describeController,
};
