// Baseline for the RPC benchmark: a bare worker that echoes messages.
self.onmessage = (event: MessageEvent) => {
  self.postMessage(event.data);
};
