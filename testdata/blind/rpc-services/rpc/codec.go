package rpc

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

const contentType = "application/rpc+json"

// frame is one message of a server stream; frames are newline-delimited JSON.
// The last frame of a stream carries the status and no data.
type frame struct {
	Data   json.RawMessage `json:"data,omitempty"`
	Status *Status         `json:"status,omitempty"`
}

func decodeJSON(r io.Reader, v any, limit int64) error {
	dec := json.NewDecoder(io.LimitReader(r, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(InvalidArgument, "decode request: %v", err)
	}
	return nil
}

func writeStatus(w http.ResponseWriter, st *Status) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Rpc-Status", strconv.Itoa(int(st.Code)))
	w.WriteHeader(st.Code.HTTPStatus())
	_ = json.NewEncoder(w).Encode(st)
}

func writeReply(w http.ResponseWriter, md MD, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return Errorf(Internal, "encode reply: %v", err)
	}
	md.ToHeader(w.Header())
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Rpc-Status", "0")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf)
	return err
}
