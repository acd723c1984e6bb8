/**
 * Where entries live: a region and its store (local Caffeine), the guards of a region (epochs, loads in
 * flight, pending write-backs). Uses key, metrics, config and log; nothing of method or above.
 */
package dev.recall.agent.store;
