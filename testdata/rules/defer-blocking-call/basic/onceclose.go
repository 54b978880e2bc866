package fixture

import (
	"net"
	"os"
	"sync"
)

type unixListener struct {
	once    sync.Once
	ln      net.Listener
	address string
	dataDir string
}

// close removes the socket file once: a single unlink.
func (l *unixListener) close() {
	l.once.Do(func() {
		_ = l.ln.Close()
		_ = os.RemoveAll(l.address)
	})
}

// purge removes the listener's whole data directory once.
func (l *unixListener) purge() {
	l.once.Do(func() {
		_ = os.RemoveAll(l.dataDir)
	})
}

func serveUnix(l *unixListener, handle func(net.Conn)) error {
	defer l.close()
	c, err := l.ln.Accept()
	if err != nil {
		return err
	}
	handle(c)
	return nil
}

// The literal once.Do runs deletes a directory tree before serveAndPurge can return.
func serveAndPurge(l *unixListener, handle func(net.Conn)) error {
	defer l.purge() // want `deferred l\.purge\(\) → unixListener\.purge → the function literal on line \d+ → os\.RemoveAll\(l\.dataDir\) \(line \d+\) deletes a whole directory tree`
	c, err := l.ln.Accept()
	if err != nil {
		return err
	}
	handle(c)
	return nil
}
