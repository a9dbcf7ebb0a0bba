/**
 * A token for this viewer from the development server's `/demo/session` (`sub` from the page's query,
 * or one kept in storage so the viewer stays the same person), as the brand's backend would issue one.
 */
const { server } = require('./config.js');

function viewerSub(query) {
  if (query.sub) return query.sub;
  let sub = wx.getStorageSync('roomcast-sub');
  if (!sub) {
    sub = `mp-${Math.random().toString(36).slice(2, 10)}`;
    wx.setStorageSync('roomcast-sub', sub);
  }
  return sub;
}

function session(query, extra) {
  const params = Object.assign({ sub: viewerSub(query) }, extra || {});
  const search = Object.keys(params).map((k) => `${k}=${encodeURIComponent(params[k])}`).join('&');
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${server}/demo/session?${search}`,
      success: (res) => (res.statusCode === 200 ? resolve(Object.assign({ sub: params.sub }, res.data)) : reject(new Error(`session: HTTP ${res.statusCode}`))),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

module.exports = { session };
