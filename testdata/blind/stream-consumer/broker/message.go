// Package broker is a small in-memory, Kafka-like log broker. The consumer
// library uses it in tests, in the demo binaries and for local development,
// so that nothing outside the standard library is needed.
package broker

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// TopicPartition identifies one partition of a topic.
type TopicPartition struct {
	Topic     string
	Partition int
}

func (tp TopicPartition) String() string {
	return fmt.Sprintf("%s-%d", tp.Topic, tp.Partition)
}

// ParseTopicPartition parses the "topic-N" form produced by String.
func ParseTopicPartition(s string) (TopicPartition, error) {
	i := strings.LastIndexByte(s, '-')
	if i <= 0 || i == len(s)-1 {
		return TopicPartition{}, fmt.Errorf("broker: malformed topic-partition %q", s)
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 0 {
		return TopicPartition{}, fmt.Errorf("broker: bad partition number in %q", s)
	}
	return TopicPartition{Topic: s[:i], Partition: n}, nil
}

// Message is one record of a partition log.
type Message struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   map[string]string
	Timestamp time.Time
}

// TP returns the topic-partition the message belongs to.
func (m Message) TP() TopicPartition {
	return TopicPartition{Topic: m.Topic, Partition: m.Partition}
}

// partitionFor picks a partition by hashing the key, like the default
// partitioner of most Kafka clients.
func partitionFor(key []byte, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write(key)
	return int(h.Sum32() % uint32(n))
}
