// A multi-line deferred literal is shown in short in the message.
package main

import (
	"bufio"
	"net"
	"net/http"
	"os"
)

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer func() {
		_, _ = w.WriteString("bye\n")
		_ = w.Flush()
	}()
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return
	}
	_ = http.Serve(ln, nil) // want `^main defers func\(\) \{\.\.\.\}\(\) \(line 13\) and then blocks in net/http.Serve \(line 21\)`
}
