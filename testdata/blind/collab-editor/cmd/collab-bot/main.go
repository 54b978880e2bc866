// Command collab-bot joins a document, greets it, and answers simple
// commands typed into it on a line of their own ("/time", "/who").
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"
	"time"

	"example.com/collab/internal/client"
	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7070", "collabd live address")
	docID := flag.String("doc", "", "document to join")
	name := flag.String("name", "collab-bot", "display name")
	flag.Parse()
	if *docID == "" {
		log.Fatal("collab-bot: -doc is required")
	}
	opts := client.Options{Name: *name, Doc: *docID, Token: os.Getenv("COLLAB_TOKEN")}
	ctx := context.Background()

	if err := postWelcome(ctx, *addr, opts, *name+" joined"); err != nil {
		log.Fatalf("collab-bot: %v", err)
	}
	c, err := client.Dial(ctx, *addr, opts)
	if err != nil {
		log.Fatalf("collab-bot: %v", err)
	}
	defer c.Close()

	go func() {
		err := c.Listen(ctx, func(ch doc.Change) { respond(c, ch) })
		log.Fatalf("collab-bot: connection lost: %v", err)
	}()
	go c.KeepAlive(30 * time.Second)
	log.Printf("collab-bot: %s is in %s", *name, *docID)
	select {} // HAZ signal-skips-defer
}

// postWelcome writes a greeting line at the top of the document over a
// short-lived connection.
func postWelcome(ctx context.Context, addr string, opts client.Options, text string) error {
	opts.Name += "-greeter"
	c, err := client.Dial(ctx, addr, opts)
	defer c.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return c.SendBatch([]ot.Op{{Kind: ot.Insert, Pos: 0, Text: text + "\n"}})
}

// respond answers a command that another client just finished typing.
func respond(c *client.Client, ch doc.Change) {
	if ch.Op.Kind != ot.Insert || !strings.HasSuffix(ch.Op.Text, "\n") {
		return
	}
	var reply string
	switch strings.TrimSpace(ch.Op.Text) {
	case "/time":
		reply = time.Now().Format(time.RFC1123) + "\n"
	case "/ping":
		reply = "pong\n"
	default:
		return
	}
	op := ot.Op{Kind: ot.Insert, Pos: ch.Op.Pos + len([]rune(ch.Op.Text)), Text: reply, Base: ch.Version}
	if err := c.Send(op); err != nil {
		log.Printf("collab-bot: reply: %v", err)
	}
}
