/**
 * Key templates, compiled once into functions of the arguments, and the key objects they build.
 * A leaf: imports nothing of the agent.
 */
package dev.recall.agent.key;
