// @ts-check
// The IIIF token service's page (Authorization Flow 2.0 §2.3.3, Authentication 1.0 §3.2.2):
// posts the message the server wrote into the page to the viewer that framed it, and only to
// the origin it named.
const { origin: targetOrigin, message } = document.body.dataset;
window.parent.postMessage(JSON.parse(message), targetOrigin);
