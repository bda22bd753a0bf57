// "Enable notifications on this browser" on /settings/notifications: registers the service worker, asks for
// permission, subscribes with the server's VAPID key and hands the subscription to the server. The requests carry the
// page's antiforgery token, as the cookie-authenticated endpoints demand.
const form = document.getElementById('push-form');
const status = document.getElementById('push-status');

const say = (text) => { status.textContent = text; };

function applicationServerKey(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function send(method, body) {
  const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
  const response = await fetch('/web/push/subscriptions', {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', RequestVerificationToken: token },
    body: JSON.stringify(body),
  });
  if (!response.ok && response.status !== 404) {
    throw new Error(`The server answered ${response.status}.`);
  }
}

async function registration() {
  return navigator.serviceWorker.register(form.dataset.worker, { scope: '/' });
}

async function enable() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    say('Notifications are blocked for this site; allow them in the browser settings to turn them on.');
    return;
  }
  const worker = await registration();
  await navigator.serviceWorker.ready;
  const subscription = await worker.pushManager.getSubscription()
    ?? await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(form.dataset.vapidKey) });
  await send('POST', subscription.toJSON());
  say('This browser will show alarm notifications.');
}

async function disable() {
  const worker = await navigator.serviceWorker.getRegistration('/');
  const subscription = await worker?.pushManager.getSubscription();
  if (subscription) {
    await send('DELETE', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  say('This browser will not show alarm notifications.');
}

function guard(action) {
  return async () => {
    try {
      await action();
    } catch (error) {
      say(`That did not work: ${error.message}`);
    }
  };
}

if (form && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) {
  form.hidden = false;
  const current = await navigator.serviceWorker.getRegistration('/');
  const subscribed = await current?.pushManager.getSubscription();
  say(subscribed && Notification.permission === 'granted'
    ? 'This browser shows alarm notifications.'
    : 'This browser does not show alarm notifications yet.');
  document.getElementById('push-enable').addEventListener('click', guard(enable));
  document.getElementById('push-disable').addEventListener('click', guard(disable));
}
