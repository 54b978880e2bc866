package logstream

import (
	"bufio"
	"os"
)

// ReadTail returns the last n lines of the file at path.
func ReadTail(path string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring := make([]string, 0, n)
	next := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if len(ring) < n {
			ring = append(ring, sc.Text())
			continue
		}
		ring[next] = sc.Text()
		next = (next + 1) % n
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(ring) < n {
		return ring, nil
	}
	return append(ring[next:], ring[:next]...), nil
}
