/**
 * The words the page uses, as a class needs them: one definition each, shown as hover help
 * wherever the word appears and all together in the glossary (the "Glossary" button).
 */
export const glossary = {
  LEO: 'Log end offset: the offset the next record appended to this replica will get (one past its last record).',
  HW: 'High watermark: the offset up to which every in-sync replica has the records. Records below it are committed: consumers read only those, and they survive the loss of the leader. Records at or above it can still be lost.',
  epoch: 'Leader epoch: a number the controller raises each time it elects a new leader for the partition. Records carry the epoch they were written in, so a replica can tell which leader wrote what and truncate what a new leader never had (KIP-101).',
  ISR: 'In-sync replicas: the leader and the followers that have caught up within replica.lag.time.max.ms. Only they count for acks=all and min.insync.replicas, and only one of them may become leader (unless unclean election is on).',
  gen: 'Generation: the consumer group\'s number, raised at every rebalance. The group coordinator rejects a commit from an older generation, so a member that missed a rebalance (a zombie) cannot move the group\'s offsets.',
  zxid: 'ZooKeeper transaction id: every write the coordinator ensemble commits gets the next zxid, in one total order. The server with the highest zxid wins a leader election, so no committed write is lost.',
  session: 'ZooKeeper session: a broker\'s (or client\'s) live connection, kept alive by heartbeats. When heartbeats stop for zookeeper.session.timeout.ms the session expires and its ephemeral znodes (/brokers/ids/N, /controller) are deleted: that is how the cluster notices a crash.',
  controller: 'The controller: one broker, elected through the ephemeral /controller znode, that elects partition leaders and tells brokers about them. Its controller epoch fences an old controller (a zombie) that did not notice it was replaced.',
  committed: 'Committed offset: the offset a consumer group saved for a partition. After a crash or rebalance the new owner starts reading there: records before it are not read again, records after it are.',
  position: 'Position: the next offset this consumer will read. Between its position and its group\'s committed offset lie records that would be read again after a crash.',
} as const;

export type GlossaryTerm = keyof typeof glossary;

export const glossaryTitle = (term: GlossaryTerm): string => `${term}: ${glossary[term]}`;
