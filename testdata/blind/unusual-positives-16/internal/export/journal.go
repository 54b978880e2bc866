package export

import "os"

// journal is an append-only log file that counts the lines it wrote.
type journal struct {
	*os.File
	lines int
}

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &journal{File: f}, nil
}

func (j *journal) add(line string) error {
	_, err := j.WriteString(line + "\n")
	if err == nil {
		j.lines++
	}
	return err
}

// AppendJournalLines appends lines to the journal at path and returns how many it wrote.
func AppendJournalLines(path string, lines []string) (int, error) {
	j, err := openJournal(path)
	if err != nil {
		return 0, err
	}
	defer j.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if err := j.add(l); err != nil {
			return j.lines, err
		}
	}
	return j.lines, nil
}

// CountJournal returns the number of lines in the journal at path.
func CountJournal(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n, nil
}

// AppendJournalChecked is AppendJournalLines for callers that must know the
// lines reached the file.
func AppendJournalChecked(path string, lines []string) (n int, err error) {
	j, err := openJournal(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := j.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, l := range lines {
		if err := j.add(l); err != nil {
			return j.lines, err
		}
	}
	return j.lines, nil
}
