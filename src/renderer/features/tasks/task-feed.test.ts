import { describe, expect, it } from 'vitest';
import { createTaskFeed, selectTask } from './task-feed';

const upidA = 'UPID:pve1:0000A:0001:6650:resize:101:alice@pve:';
const upidB = 'UPID:pve1:0000B:0002:6651:resize:102:alice@pve:';
const upidC = 'UPID:pve2:0000C:0003:6652:resize:201:alice@pve:';

function running(upid: string, node: string, lines: string[]) {
  return { upid, node, state: 'running' as const, lines, exitStatus: null };
}

describe('createTaskFeed', () => {
  it('appends the lines of later events to the same task and records how it ended', () => {
    const feed = createTaskFeed();

    feed.push(running(upidA, 'pve1', ['Size of logical volume changed']));
    feed.push({
      upid: upidA,
      node: 'pve1',
      state: 'stopped',
      lines: ['TASK OK'],
      exitStatus: 'OK',
    });

    expect(feed.getSnapshot().tasks).toEqual([
      {
        upid: upidA,
        node: 'pve1',
        state: 'stopped',
        lines: ['Size of logical volume changed', 'TASK OK'],
        exitStatus: 'OK',
        seenAt: 1,
      },
    ]);
  });

  it('gives a new snapshot on each change and tells subscribers until they leave', () => {
    const feed = createTaskFeed();
    let notified = 0;
    const leave = feed.subscribe(() => (notified += 1));
    const before = feed.getSnapshot();

    feed.push(running(upidA, 'pve1', []));
    leave();
    feed.push(running(upidA, 'pve1', ['more']));

    expect(feed.getSnapshot()).not.toBe(before);
    expect(notified).toBe(1);
  });

  it('keeps only the newest tasks and lines within its limits', () => {
    const feed = createTaskFeed({ maxTasks: 2, maxLinesPerTask: 2 });

    feed.push(running(upidA, 'pve1', ['1', '2', '3']));
    feed.push(running(upidB, 'pve1', []));
    feed.push(running(upidC, 'pve2', []));

    expect(feed.getSnapshot().tasks.map((task) => task.upid)).toEqual([upidB, upidC]);
    feed.push(running(upidC, 'pve2', ['a', 'b', 'c']));
    expect(feed.getSnapshot().tasks[1]?.lines).toEqual(['b', 'c']);
  });
});

describe('selectTask', () => {
  it('picks the newest task on the node that appeared after the mark', () => {
    const feed = createTaskFeed();
    feed.push(running(upidA, 'pve1', ['before the call']));
    const mark = feed.mark();

    feed.push(running(upidC, 'pve2', ['other node']));
    feed.push(running(upidB, 'pve1', ['ours']));

    expect(selectTask(feed.getSnapshot(), { node: 'pve1', since: mark })?.upid).toBe(upidB);
  });

  it('ignores tasks seen before the mark even when they get new lines later', () => {
    const feed = createTaskFeed();
    feed.push(running(upidA, 'pve1', []));
    const mark = feed.mark();

    feed.push(running(upidA, 'pve1', ['still going']));

    expect(selectTask(feed.getSnapshot(), { node: 'pve1', since: mark })).toBeNull();
  });

  it('prefers the task with the known upid once the call returned it', () => {
    const feed = createTaskFeed();
    const mark = feed.mark();
    feed.push(running(upidA, 'pve1', []));
    feed.push(running(upidB, 'pve1', []));

    expect(selectTask(feed.getSnapshot(), { node: 'pve1', since: mark, upid: upidA })?.upid).toBe(
      upidA,
    );
    expect(
      selectTask(feed.getSnapshot(), { node: 'pve1', since: mark, upid: 'UPID:none' }),
    ).toBeNull();
  });
});
