/** A minimal typed listener set: one event type, synchronous delivery, unsubscribe by the returned function. */
export class ListenerSet<T> {
	private readonly listeners = new Set<(value: T) => void>();

	/** Adds a listener; returns the function that removes it. */
	add(listener: (value: T) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	/** Calls every listener with the value. */
	emit(value: T): void {
		for (const listener of this.listeners) {
			listener(value);
		}
	}
}
