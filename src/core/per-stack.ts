import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

const memos = new WeakMap<TerraformStack, Map<string, unknown>>();

/**
 * A value made once per stack for a key, e.g. `Fn.sensitive(secretKey)` shared by every
 * integration. Each Fn call or attribute read creates a token, and cdktf captures a full stack
 * trace for each, so values that are the same across constructs are made once per stack.
 *
 * @param key everything the value derives from; token strings are unique in a process
 */
export function perStack<T>(scope: Construct, key: string, create: () => T): T {
  const stack = TerraformStack.of(scope);
  let memo = memos.get(stack);
  if (!memo) {
    memo = new Map();
    memos.set(stack, memo);
  }
  if (!memo.has(key)) memo.set(key, create());
  return memo.get(key) as T;
}
