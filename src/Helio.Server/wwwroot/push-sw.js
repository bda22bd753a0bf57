// Service worker for alarm notifications: shows each push (JSON {title, body, url, tag}) and opens its page on click.
// Served from the site root so that its scope covers every page.
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data?.text() };
  }
  event.waitUntil(self.registration.showNotification(message.title || 'Helio', {
    body: message.body || '',
    tag: message.tag,
    data: { url: message.url || '/' },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/', self.location.origin);
  // Only pages of this site: a push must not be able to send the user elsewhere.
  const url = target.origin === self.location.origin ? target.href : '/';
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((windows) => {
    const open = windows.find((w) => w.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  }));
});
