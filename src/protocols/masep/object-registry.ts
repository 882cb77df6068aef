import { Action } from './action.js';
import { Agent } from './agent.js';
import { AllowList } from './allow-list.js';
import { Belief } from './belief.js';
import { Characteristic } from './characteristic.js';
import { CircularHeadList } from './circular-head-list.js';
import { Container, GameObject } from './game-object.js';
import { Intention } from './intention.js';
import { ObjectState } from './object-state.js';
import { State } from './state.js';
import type { ObjectDecoder, ObjectRegistry } from './value-codec.js';

/**
 * A fresh registry with pymasep's own classes: `State`, `Object`, `Agent`, `Action`,
 * `ObjectState`, `Characteristic`, `Container`, `Intention`, `Belief`, `CircularHeadList`.
 * Add game-specific tags (Python class paths such as `mygame.Piece`) with, e.g.,
 * `registry.register('mygame.Piece', objectDecoders.object)`; an unregistered tag where an object
 * is required is `MASEP_UNKNOWN_NAME`, and where any value may stand it stays inert XML.
 */
export function createObjectRegistry(): ObjectRegistry {
  return new AllowList<ObjectDecoder>('object class', [
    ['State', State.fromXml],
    ['Object', objectDecoders.object],
    ['Agent', objectDecoders.agent],
    ['Action', Action.fromXml],
    ['ObjectState', ObjectState.fromXml],
    ['Characteristic', Characteristic.fromXml],
    ['Container', Container.fromXml],
    ['Intention', Intention.fromXml],
    ['Belief', Belief.fromXml],
    ['CircularHeadList', CircularHeadList.fromXml],
  ]);
}

/** Decoders to register game-specific tags with: as a plain object, an agent, or a state. */
export const objectDecoders = {
  object: (element, context) => GameObject.fromXml(element, context),
  agent: (element, context) => Agent.fromXml(element, context),
  state: (element, context) => State.fromXml(element, context),
} as const satisfies Record<string, ObjectDecoder>;

/** The default registry (pymasep's classes only), frozen: `clone()` it to register more tags. */
export const defaultObjectRegistry: ObjectRegistry = createObjectRegistry().freeze();
