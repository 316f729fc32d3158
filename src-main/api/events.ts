import { EventEmitter } from 'node:events'
import type { ApiEvents, EventName } from '../shared/api'

/** Main-process event bus; transports forward its events to every client. */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.emitter.emit(event, payload)
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.emitter.on(event, listener)
    return () => this.emitter.off(event, listener)
  }
}
