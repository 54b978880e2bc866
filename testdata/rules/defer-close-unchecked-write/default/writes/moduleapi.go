package writes

import (
	"io"
	"os"
)

// blobSink is the module's storage API: Create hands out a writer whose Close commits the blob.
type blobSink interface {
	Create(name string) (io.WriteCloser, error)
}

// The blob is committed at Close, whose error is dropped.
func putBlob(s blobSink, name string, data []byte) error {
	w, err := s.Create(name)
	if err != nil {
		return err
	}
	defer w.Close() // want `deferred w\.Close\(\) discards the error of the io\.WriteCloser returned by s\.Create on line \d+`
	_, err = w.Write(data)
	return err
}

// Closed and checked on the success path. No finding.
func putBlobChecked(s blobSink, name string, data []byte) error {
	w, err := s.Create(name)
	if err != nil {
		return err
	}
	defer w.Close()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

// A method expression closes the file all the same.
func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer (*os.File).Close(f) // want `deferred \(\*os\.File\)\.Close\(f\) discards the error of the file opened for writing by os\.OpenFile on line \d+`
	_, err = f.WriteString(line + "\n")
	return err
}

// lineLog embeds the file it appends to; openLineLog builds it.
type lineLog struct {
	*os.File
	lines int
}

func openLineLog(path string) (*lineLog, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &lineLog{File: f}, nil
}

// The promoted Close is the file's: its error is dropped.
func appendLines(path string, lines []string) (int, error) {
	l, err := openLineLog(path)
	if err != nil {
		return 0, err
	}
	defer l.Close() // want `deferred l\.Close\(\) discards the error of the lineLog embedding the file opened for writing by openLineLog on line \d+`
	for _, s := range lines {
		if _, err := l.WriteString(s + "\n"); err != nil {
			return l.lines, err
		}
		l.lines++
	}
	return l.lines, nil
}

// logStreams hands out the stdout and stderr streams of a step's log.
type logStreams interface {
	Streams(step string) (stdout, stderr io.WriteCloser)
}

// A log stream named otherwise is not judged by its type alone. No finding.
func runStep(ls logStreams, step string, run func(stdout, stderr io.Writer) error) error {
	stdout, stderr := ls.Streams(step)
	defer stdout.Close()
	defer stderr.Close()
	return run(stdout, stderr)
}
