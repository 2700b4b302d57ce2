/** @odoo-module **/
/**
 * The device's queue of scans: every call that changes something is stored
 * in the browser (localStorage) before it is sent, sent in order, and removed
 * once the server answered (an answer or a refusal). When the network is down
 * the calls wait; they are sent when it returns. Each carries its key: the
 * server applies a key once, so a call sent twice changes nothing.
 */
import {ConnectionLostError} from "@web/core/network/rpc";

export const MODEL = "distrib.barcode.scan";

export function newScanKey(userId) {
    const random = Math.random().toString(36).slice(2, 10);
    return `${userId}-${Date.now().toString(36)}-${random}`;
}

export class ScanQueue {
    /**
     * @param {Object} orm the orm service
     * @param {Number} userId
     * @param {Object} handlers onAnswer(answer, item), onRefusal(error, item),
     *     onChange(count)
     */
    constructor(orm, userId, handlers) {
        this.orm = orm;
        this.storageKey = `distrib_barcode.queue.${userId}`;
        this.handlers = handlers;
        this.draining = false;
        this.items = this._load();
    }

    _load() {
        try {
            return JSON.parse(window.localStorage.getItem(this.storageKey)) || [];
        } catch {
            return [];
        }
    }

    _save() {
        window.localStorage.setItem(this.storageKey, JSON.stringify(this.items));
        this.handlers.onChange(this.items.length);
    }

    get length() {
        return this.items.length;
    }

    get online() {
        return window.navigator.onLine !== false;
    }

    /** Store a call, then send what waits. */
    push(item) {
        this.items.push(item);
        this._save();
        return this.drain();
    }

    /** Send the waiting calls in order; stop at the first network failure. */
    async drain() {
        if (this.draining) {
            return;
        }
        this.draining = true;
        try {
            while (this.items.length && this.online) {
                const item = this.items[0];
                let answer = null;
                try {
                    answer = await this.orm.silent.call(
                        MODEL,
                        item.method,
                        item.args,
                        item.kwargs || {}
                    );
                } catch (error) {
                    if (error instanceof ConnectionLostError) {
                        break;
                    }
                    this.items.shift();
                    this._save();
                    this.handlers.onRefusal(error, item);
                    continue;
                }
                this.items.shift();
                this._save();
                this.handlers.onAnswer(answer, item);
            }
        } finally {
            this.draining = false;
            this.handlers.onChange(this.items.length);
        }
    }
}
