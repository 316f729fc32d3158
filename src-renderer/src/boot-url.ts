// Runs before the router is created (first import of main.ts): a path typed
// into the browser's address bar (http://host/accounts) becomes the matching
// hash route. The HTTP server answers every unknown path with index.html.
if (location.protocol.startsWith('http') && location.pathname !== '/' && !location.pathname.endsWith('.html') && !location.hash) {
  history.replaceState(null, '', `/#${location.pathname}${location.search}`)
}
export {}
