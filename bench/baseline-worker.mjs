// The floor: a Worker that answers every request with one fixed TwiML document, measured
// through the same local server path as the real line.
const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" action="/api/ivr/handle-clinic/?lang=en" method="POST" numDigits="1" timeout="6" language="en-IN"><Say voice="Polly.Raveena" language="en-IN">Please choose a clinic. For Hampankatta Family Clinic, press 1.</Say></Gather><Redirect method="POST">/api/ivr/handle-clinic/?lang=en</Redirect></Response>';

export default {
  async fetch(request) {
    await request.arrayBuffer();
    return new Response(TWIML, { headers: { "Content-Type": "text/xml; charset=utf-8" } });
  },
};
