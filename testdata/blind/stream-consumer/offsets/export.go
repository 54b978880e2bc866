package offsets

import (
	"encoding/json"
	"os"
	"time"

	"example.com/consumer/broker"
)

type exportEntry struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
}

type exportFile struct {
	Group    string        `json:"group"`
	Exported time.Time     `json:"exported"`
	Offsets  []exportEntry `json:"offsets"`
}

func exportDoc(group string, offs map[broker.TopicPartition]int64) exportFile {
	doc := exportFile{Group: group, Exported: time.Now().UTC()}
	for _, tp := range sortedTPs(offs) {
		doc.Offsets = append(doc.Offsets, exportEntry{Topic: tp.Topic, Partition: tp.Partition, Offset: offs[tp]})
	}
	return doc
}

// ExportJSON writes the group's stored offsets as a JSON document that
// operators attach to incident tickets.
func (s *FileStore) ExportJSON(group, path string) error {
	offs, err := s.Load(group)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return defer-close-unchecked-write
		return f.Close()
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(exportDoc(group, offs))
}

// ImportJSON reads a document written by ExportJSON and saves it.
func (s *FileStore) ImportJSON(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var doc exportFile
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		return "", err
	}
	offs := make(map[broker.TopicPartition]int64, len(doc.Offsets))
	for _, e := range doc.Offsets {
		offs[broker.TopicPartition{Topic: e.Topic, Partition: e.Partition}] = e.Offset
	}
	return doc.Group, s.Save(doc.Group, offs)
}
