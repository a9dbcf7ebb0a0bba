/**
 * Where the example finds Roomcast. In WeChat DevTools, against `npm start` on this computer, tick
 * "不校验合法域名" (do not check domains) in the project settings. A real mini-program asks the brand's
 * backend for the viewer's token (after wx.login) and lists wss://live.example.com in its socket
 * domains; `/demo/session` hands anyone a token and is off in production.
 */
module.exports = {
  server: 'http://127.0.0.1:8080',
};
